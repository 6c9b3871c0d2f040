import { describe, expect, it } from "vitest";
import { recordedText } from "../test-support/recorded-http.js";
import { getBotResponse } from "./get-bot-response.js";
import { streamRequest } from "./stream-request.js";

const ANSWER = 'event: text\r\ndata: {"text":"ok"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n';

/** A fetch that keeps the body text it was sent and answers "ok". */
function recordingFetch() {
  const bodies: string[] = [];
  const fetch = async (_input: unknown, init?: RequestInit) => {
    bodies.push(String(init?.body));
    return new Response(ANSWER, { headers: { "content-type": "text/event-stream" } });
  };
  return { bodies, fetch };
}

describe("the bodies the client sends, against fastapi_poe's client", () => {
  it.each(["client-request-query.http", "client-request-query-tools.http"])(
    "streamRequest sends the body recorded in %s, byte for byte",
    async (name) => {
      const recorded = recordedText(name);
      const { query, user_id, conversation_id, message_id, tools } = JSON.parse(recorded);
      const { bodies, fetch } = recordingFetch();
      const request = {
        version: "1.2",
        type: "query" as const,
        query: query.map((message: { role: string; content: string }) => ({
          role: message.role,
          content: message.content,
        })),
        user_id,
        conversation_id,
        message_id,
      };
      for await (const _ of streamRequest(request, "Bot", "k".repeat(32), {
        baseUrl: "http://upstream.test/bot/",
        fetch,
        ...(tools && { tools }),
      })) {
        // read to the end
      }
      expect(bodies).toEqual([recorded]);
    },
  );

  it("getBotResponse sends what fastapi_poe's get_bot_response sends: empty ids, every default", async () => {
    const recorded = JSON.parse(recordedText("client-request-query.http"));
    const { bodies, fetch } = recordingFetch();
    for await (const _ of getBotResponse({
      messages: [recorded.query[0].content],
      botName: "Bot",
      apiKey: "k".repeat(32),
      baseUrl: "http://upstream.test/bot/",
      fetch,
    })) {
      // read to the end
    }
    const expected = { ...recorded, user_id: "", conversation_id: "", message_id: "" };
    expect(bodies).toEqual([JSON.stringify(expected)]);
  });
});
