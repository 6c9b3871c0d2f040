import { QueryRequestSchema } from "poekit/protocol";
import { describe, expect, it } from "vitest";
import { toChatMessages } from "./chat-messages.js";

describe("toChatMessages", () => {
  it("converts function_call and tool messages, and leaves unknown roles out", () => {
    const request = QueryRequestSchema.parse({
      version: "1.2",
      type: "query",
      user_id: "u",
      conversation_id: "c",
      message_id: "m",
      query: [
        { role: "user", content: "Oslo?" },
        {
          role: "bot",
          message_type: "function_call",
          content: JSON.stringify([
            { id: "c1", type: "function", function: { name: "w", arguments: '{"city":"Oslo"}' } },
          ]),
        },
        {
          role: "tool",
          content: JSON.stringify([{ role: "tool", tool_call_id: "c1", name: "w", content: '{"t":3}' }]),
        },
        { role: "tool", content: "plain text result" },
        { role: "narrator", content: "ignored" },
        { role: "bot", content: "It is 3 °C." },
      ],
    });
    expect(toChatMessages(request)).toEqual([
      { role: "user", content: "Oslo?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "w", arguments: '{"city":"Oslo"}' } }],
      },
      { role: "tool", tool_call_id: "c1", name: "w", content: '{"t":3}' },
      { role: "user", content: "Tool result:\nplain text result" },
      { role: "assistant", content: "It is 3 °C." },
    ]);
  });
});
