import { describe, expect, it } from "vitest";
import {
  type ProtocolMessage,
  type ProtocolMessageInit,
  ProtocolMessageSchema,
} from "../protocol/protocol-message.js";
import { makePromptAuthorRoleAlternated } from "./role-alternation.js";

function message(init: ProtocolMessageInit): ProtocolMessage {
  return ProtocolMessageSchema.parse(init);
}

function file(url: string, name = url) {
  return { url, name, content_type: "text/plain", inline_ref: null, parsed_content: null };
}

describe("makePromptAuthorRoleAlternated", () => {
  it("merges two user messages with a blank line, newer attachments first, deduplicated by url", () => {
    const bot = message({ role: "bot", content: "Hi, how can I help?", message_id: "m1" });
    const first = message({
      role: "user",
      content: "First",
      message_id: "m2",
      timestamp: 2,
      sender: { id: "u1", name: "Ada" },
      attachments: [file("https://x/a", "a-old"), file("https://x/b")],
    });
    const second = message({
      role: "user",
      content: "Second",
      message_id: "m3",
      timestamp: 3,
      sender: { id: "u2", name: "Bob" },
      attachments: [file("https://x/c"), file("https://x/a", "a-new")],
    });

    const result = makePromptAuthorRoleAlternated([bot, first, second]);

    expect(result).toHaveLength(2);
    expect(result[0]).toEqual(bot);
    const merged = result[1];
    expect(merged?.content).toBe("First\n\nSecond");
    expect(merged?.attachments.map((a) => [a.url, a.name])).toEqual([
      ["https://x/c", "https://x/c"],
      ["https://x/a", "a-new"],
      ["https://x/b", "https://x/b"],
    ]);
    expect(merged?.message_id).toBe("m2");
    expect(merged?.timestamp).toBe(2);
    expect(merged?.sender).toEqual({ id: "u1", name: "Ada" });
    expect(merged?.role).toBe("user");
  });

  it("merges three consecutive messages into one, attachments newest first", () => {
    const result = makePromptAuthorRoleAlternated([
      message({
        role: "user",
        content: "a",
        message_id: "1",
        attachments: [file("u1"), file("shared", "from-a")],
      }),
      message({ role: "user", content: "b", message_id: "2", attachments: [file("u2")] }),
      message({
        role: "user",
        content: "c",
        message_id: "3",
        attachments: [file("shared", "from-c"), file("u3")],
      }),
    ]);
    expect(result).toHaveLength(1);
    expect(result[0]?.content).toBe("a\n\nb\n\nc");
    expect(result[0]?.message_id).toBe("1");
    expect(result[0]?.attachments.map((a) => a.name)).toEqual(["from-c", "u3", "u2", "u1"]);
  });

  it("merges system and tool messages with themselves and keeps alternating roles apart", () => {
    const result = makePromptAuthorRoleAlternated([
      message({ role: "system", content: "s1" }),
      message({ role: "system", content: "s2" }),
      message({ role: "user", content: "u" }),
      message({ role: "bot", content: "b" }),
      message({ role: "tool", content: "t1" }),
      message({ role: "tool", content: "t2" }),
      message({ role: "bot", content: "b2" }),
    ]);
    expect(result.map((m) => [m.role, m.content])).toEqual([
      ["system", "s1\n\ns2"],
      ["user", "u"],
      ["bot", "b"],
      ["tool", "t1\n\nt2"],
      ["bot", "b2"],
    ]);
  });

  it("leaves out messages with unknown roles, so the messages around them count as consecutive", () => {
    const result = makePromptAuthorRoleAlternated([
      message({ role: "user", content: "one" }),
      message({ role: "moderator", content: "hidden" }),
      message({ role: "user", content: "two" }),
      message({ role: "bot", content: "reply" }),
      message({ role: "assistant", content: "also hidden" }),
    ]);
    expect(result.map((m) => [m.role, m.content])).toEqual([
      ["user", "one\n\ntwo"],
      ["bot", "reply"],
    ]);
  });

  it("does not change the messages given and returns new objects", () => {
    const input = [
      message({ role: "user", content: "x", attachments: [file("https://x/1")] }),
      message({ role: "user", content: "y", attachments: [file("https://x/2")] }),
      message({ role: "bot", content: "z", attachments: [file("https://x/3")] }),
    ];
    const snapshot = structuredClone(input);

    const result = makePromptAuthorRoleAlternated(input);
    result[1]?.attachments.push(file("https://x/added"));

    expect(input).toEqual(snapshot);
    expect(result).not.toBe(input);
    expect(result[0]).not.toBe(input[0]);
    expect(result[1]).not.toBe(input[2]);
  });

  it("returns an empty list for no messages", () => {
    expect(makePromptAuthorRoleAlternated([])).toEqual([]);
  });
});
