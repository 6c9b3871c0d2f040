import { MAX_CONVERSATION_MESSAGES, QueryRequestSchema } from "poekit/protocol";
import { describe, expect, it } from "vitest";
import { normalizeSettings } from "../bots/settings.js";
import type { BotSettings, ConversationRecord, MessageRecord } from "../model.js";
import { buildConversationQuery } from "./build-query.js";
import { newMessage } from "./conversations.js";

const CONVERSATION: ConversationRecord = {
  id: "conv-1",
  title: "A chat",
  botName: "Answerer",
  contextId: "c-1",
  userId: "u-1",
  createdAt: 0,
  updatedAt: 0,
};

function record(fields: Partial<MessageRecord> & Pick<MessageRecord, "role" | "content">): MessageRecord {
  return newMessage(CONVERSATION, { status: "complete", ...fields });
}

/** A conversation of `turns` user messages, each answered by `botName`, then one more user message. */
function chat(turns: number, botName = "Answerer"): MessageRecord[] {
  const history: MessageRecord[] = [];
  for (let turn = 1; turn <= turns; turn++) {
    const asked = record({ role: "user", content: `question ${turn}` });
    history.push(asked, record({ role: "bot", botName, content: `answer ${turn}`, replyTo: asked.id }));
  }
  history.push(record({ role: "user", content: "last question" }));
  return history;
}

async function queryFor(history: MessageRecord[], settings: BotSettings, botName = "Answerer") {
  const asked = history.at(-1) as MessageRecord;
  const botMessage = record({ role: "bot", botName, content: "", status: "pending", replyTo: asked.id });
  return buildConversationQuery({
    conversation: CONVERSATION,
    history: [...history, botMessage],
    botMessage,
    botName,
    settings,
    attachment: async (file) => ({
      url: file.url,
      content_type: file.contentType,
      name: file.name,
      inline_ref: null,
      parsed_content: null,
    }),
  });
}

const MODERN = normalizeSettings({ response_version: 2 });

describe("the query the simulator sends for a turn", () => {
  it("is a whole request QueryRequestSchema reads back unchanged, with Poe's own fields", async () => {
    const request = await queryFor(chat(1), MODERN);
    expect(QueryRequestSchema.parse(structuredClone(request))).toStrictEqual(request);
    expect(request.users).toEqual([{ id: "u-1", name: null }]);
    expect(request.bot_query_id).toMatch(/^bq-/);
    expect(request.query.map((message) => message.content)).toEqual([
      "question 1",
      "answer 1",
      "last question",
    ]);
  });

  it("sends a history as long as Poe's limit whole, and cuts the oldest message of one longer", async () => {
    // chat(499) is 999 messages: with one opening message, exactly the limit.
    const atLimit = [record({ role: "user", content: "opening" }), ...chat(499)];
    const whole = await queryFor(atLimit, MODERN);
    expect(whole.query).toHaveLength(MAX_CONVERSATION_MESSAGES);
    expect(whole.query[0]?.content).toBe("opening");
    const cut = await queryFor([record({ role: "user", content: "first of all" }), ...atLimit], MODERN);
    expect(cut.query).toHaveLength(MAX_CONVERSATION_MESSAGES);
    expect(cut.query[0]?.content).toBe("opening");
  });

  it("cuts a longer history to the latest messages Poe sends, the question being answered last", async () => {
    const request = await queryFor(chat(MAX_CONVERSATION_MESSAGES), MODERN);
    expect(request.query).toHaveLength(MAX_CONVERSATION_MESSAGES);
    // 2,001 messages: the first 1,001 go, so the history starts at the answer to question 501.
    expect(request.query[0]?.content).toBe(`answer ${MAX_CONVERSATION_MESSAGES / 2 + 1}`);
    expect(request.query.at(-1)?.content).toBe("last question");
  });

  it("counts the messages the bot would be sent: other bots' left out first, role alternation after", async () => {
    const history = chat(MAX_CONVERSATION_MESSAGES, "Other");
    const withoutOthers = await queryFor(history, { ...MODERN, enableMultiEntityPrompting: false });
    // Only the user's 1,001 messages are this bot's to see; the oldest one goes.
    expect(withoutOthers.query).toHaveLength(MAX_CONVERSATION_MESSAGES);
    expect(withoutOthers.query[0]?.content).toBe("question 2");
    const alternated = await queryFor(history, {
      ...MODERN,
      enableMultiEntityPrompting: false,
      enforceAuthorRoleAlternation: true,
    });
    expect(alternated.query).toHaveLength(1);
    expect(alternated.query[0]?.content.startsWith("question 2\n\nquestion 3")).toBe(true);
  });
});

describe("a chat with several bots", () => {
  function mixed(): MessageRecord[] {
    const asked = record({ role: "user", content: "@Other @Answerer hi" });
    return [
      asked,
      record({ role: "bot", botName: "Other", content: "Other here", replyTo: asked.id, metadata: "theirs" }),
    ];
  }

  it("with multi-entity prompting, sends the other bots' messages as they are, each with its sender", async () => {
    const request = await queryFor(mixed(), MODERN);
    expect(request.query.map((message) => [message.role, message.sender, message.content])).toEqual([
      ["user", { id: "u-1", name: null }, "@Other @Answerer hi"],
      ["bot", { id: "Other", name: "Other" }, "Other here"],
    ]);
    // Another bot's `data` is its own: never handed to this one.
    expect(request.query[1]?.metadata).toBeNull();
    expect(request.users).toEqual([{ id: "u-1", name: null }]);
    expect(request.adopt_current_bot_name).toBeNull();
  });

  it("without it, leaves the other bots' messages out", async () => {
    const request = await queryFor(mixed(), { ...MODERN, enableMultiEntityPrompting: false });
    expect(request.query.map((message) => message.content)).toEqual(["@Other @Answerer hi"]);
  });
});
