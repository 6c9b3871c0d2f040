import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RECORDED_DIR, recordedText } from "../test-support/recorded-http.js";
import { buildProtocolMessage, buildQueryRequest } from "./build-query-request.js";
import { isIdentifier } from "./identifiers.js";
import { ProtocolMessageSchema } from "./protocol-message.js";
import { QueryRequestSchema } from "./query-request.js";

type Json = Record<string, unknown>;
const models = (
  JSON.parse(readFileSync(new URL("models.json", RECORDED_DIR), "utf8")) as {
    models: Record<"minimal" | "full", Json>;
  }
).models;

/** The parts of a recorded query that the caller chose: the rest must come out as recorded. */
function chosenParts(recorded: Json): Json {
  const query = recorded.query as Json[];
  return {
    query: query.map((message) => ({ role: message.role, content: message.content })),
    user_id: recorded.user_id,
    conversation_id: recorded.conversation_id,
    message_id: recorded.message_id,
    tools: recorded.tools,
    tool_calls: recorded.tool_calls,
    tool_results: recorded.tool_results,
  };
}

describe("buildQueryRequest", () => {
  it.each([
    "client-request-query.http",
    "client-request-query-tools.http",
    "client-request-query-tool-results.http",
  ])("writes the body fastapi_poe sent in %s byte for byte", (name) => {
    const recorded = recordedText(name);
    const built = buildQueryRequest(chosenParts(JSON.parse(recorded)) as never);
    expect(JSON.stringify(built)).toBe(recorded);
  });

  it("writes fastapi_poe's minimal QueryRequest and ProtocolMessage from their required fields", () => {
    const minimal = models.minimal as Record<string, Json>;
    const request = minimal.QueryRequest as Json;
    const message = minimal.ProtocolMessage as Json;
    expect(buildQueryRequest(chosenParts(request) as never)).toStrictEqual(request);
    expect(buildProtocolMessage({ role: "user", content: message.content as string })).toStrictEqual(message);
  });

  it("keeps every field of fastapi_poe's full QueryRequest as given, in its order", () => {
    const full = (models.full as Record<string, Json>).QueryRequest as Json;
    const built = buildQueryRequest(structuredClone(full) as never);
    expect(JSON.stringify(built)).toBe(JSON.stringify(full));
  });

  it("gives what QueryRequestSchema reads back unchanged: every default already filled", () => {
    const built = buildQueryRequest({
      query: ["Hi", { role: "bot", content: "Hello", sender: { name: "Echo" } }],
      temperature: 0.3,
    });
    expect(QueryRequestSchema.parse(structuredClone(built))).toStrictEqual(built);
    expect(built.query[1]?.sender).toStrictEqual({ id: null, name: "Echo" });
    expect(built.temperature).toBe(0.3);
  });

  it("makes new identifiers where none is given, and keeps an empty one given", () => {
    const first = buildQueryRequest();
    const second = buildQueryRequest();
    expect(isIdentifier(first.user_id, "u")).toBe(true);
    expect(isIdentifier(first.conversation_id, "c")).toBe(true);
    expect(isIdentifier(first.message_id, "m")).toBe(true);
    expect(second.message_id).not.toBe(first.message_id);
    const script = buildQueryRequest({ user_id: "", conversation_id: "", message_id: "" });
    expect([script.user_id, script.conversation_id, script.message_id]).toEqual(["", "", ""]);
  });

  it("fills a null field with its default, and each default is a new object", () => {
    const built = buildQueryRequest({ logit_bias: null, language_code: null, users: [{ id: "u-1" }] });
    expect(built.logit_bias).toEqual({});
    expect(built.language_code).toBe("en");
    expect(built.users).toStrictEqual([{ id: "u-1", name: null }]);
    expect(buildQueryRequest().logit_bias).not.toBe(buildQueryRequest().logit_bias);
  });

  it("keeps unknown keys, after the known ones, and an own __proto__ as a plain key", () => {
    const parts = JSON.parse('{"future_option": 1, "__proto__": {"polluted": true}, "message_id": "m-1"}');
    const built = buildQueryRequest(parts) as Json;
    expect(Object.keys(built).slice(-2)).toEqual(["future_option", "__proto__"]);
    expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
    expect(built.polluted).toBeUndefined();
  });

  it("sends what it is given as it is, broken or not: it fills, QueryRequestSchema judges", () => {
    const built = buildQueryRequest({ query: [{ role: "user" } as never], temperature: "hot" as never });
    expect(built.temperature).toBe("hot");
    expect(built.query[0]).not.toHaveProperty("content");
    expect(QueryRequestSchema.safeParse(built).success).toBe(false);
  });
});

describe("buildProtocolMessage", () => {
  it("fills a message's sender, attachments, feedback and reply with their defaults", () => {
    const message = buildProtocolMessage({
      role: "user",
      content: "Look",
      attachments: [{ url: "https://files.test/a.txt", content_type: "text/plain", name: "a.txt" }],
      feedback: [{ type: "like" }],
      referenced_message: { role: "bot", content: "Earlier" },
    });
    expect(message.attachments[0]).toStrictEqual({
      url: "https://files.test/a.txt",
      content_type: "text/plain",
      name: "a.txt",
      inline_ref: null,
      parsed_content: null,
    });
    expect(message.feedback).toStrictEqual([{ type: "like", reason: null }]);
    expect(message.referenced_message).toStrictEqual(
      buildProtocolMessage({ role: "bot", content: "Earlier" }),
    );
    expect(ProtocolMessageSchema.parse(structuredClone(message))).toStrictEqual(message);
  });
});
