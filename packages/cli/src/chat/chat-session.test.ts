import { MAX_CONVERSATION_MESSAGES, QueryRequestSchema } from "poekit/protocol";
import { describe, expect, it } from "vitest";
import { ChatSession } from "./chat-session.js";

function contents(body: Record<string, unknown>): string[] {
  return (body.query as Array<{ content: string }>).map((message) => message.content);
}

describe("ChatSession's requests", () => {
  it("are whole query requests, as the simulator sends them", () => {
    const session = new ChatSession({ botName: "EchoBot", userId: "u-1", now: () => 1_000 });
    const turn = session.ask("hello");
    const parsed = QueryRequestSchema.parse(structuredClone(turn.body));
    expect(parsed).toStrictEqual(turn.body);
    expect(parsed).toMatchObject({
      user_id: "u-1",
      conversation_id: session.conversationId,
      message_id: turn.messageId,
      query_creation_time: 1_000_000,
      users: [{ id: "u-1", name: null }],
    });
    expect(parsed.query[0]).toMatchObject({ role: "user", content: "hello", timestamp: 1_000_000 });
  });

  it("carry the latest messages Poe sends, once the chat is longer", () => {
    const session = new ChatSession({ botName: "EchoBot" });
    const turns = MAX_CONVERSATION_MESSAGES / 2;
    for (let at = 1; at <= turns; at++) {
      session.answered(session.ask(`question ${at}`), {
        content: `answer ${at}`,
        contentType: "text/markdown",
        metadata: null,
      });
    }
    const body = session.ask("one more").body;
    // 1,001 messages so far: the first question is the one cut.
    expect(contents(body)).toHaveLength(MAX_CONVERSATION_MESSAGES);
    expect(contents(body)[0]).toBe("answer 1");
    expect(contents(body).at(-1)).toBe("one more");
    expect(session.history).toHaveLength(MAX_CONVERSATION_MESSAGES + 1);
  });
});
