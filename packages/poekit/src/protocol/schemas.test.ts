import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IDENTIFIER_PATTERN, isIdentifier, makeIdentifier } from "./identifiers.js";
import * as limits from "./limits.js";
import { ParameterControlsSchema } from "./parameter-controls.js";
import { isKnownRole, ProtocolMessageSchema, REFERENCED_MESSAGE_DEPTH } from "./protocol-message.js";
import { QueryRequestSchema } from "./query-request.js";
import { REQUEST_SCHEMAS } from "./request-schemas.js";
import { RESPONSE_EVENT_SCHEMAS } from "./response-events.js";
import { SettingsResponseSchema } from "./settings-response.js";
import { SseDecoder } from "./sse-decoder.js";
import { PROTOCOL_VERSION } from "./version.js";

/** The JSON body of a recorded HTTP exchange. */
function recordedBody(name: string): string {
  const raw = readFileSync(new URL(`./fixtures/fastapi_poe/${name}`, import.meta.url), "utf8");
  const separator = /\r?\n\r?\n/.exec(raw);
  return separator ? raw.slice(separator.index + separator[0].length) : "";
}

describe("QueryRequest", () => {
  it("accepts the Python client's request with its nulls and fills nothing it sent", () => {
    const json = JSON.parse(recordedBody("client-request-query.http"));
    const request = QueryRequestSchema.parse(json);
    expect(request.query[0]).toMatchObject({
      role: "user",
      content: "hello-from-python",
      sender: null,
      metadata: null,
    });
    expect(request.temperature).toBeNull();
    expect(request.tools).toBeNull();
    expect(request.message_id).toBe("m-cccccccccccccccccccccccccccccccc");
  });

  it("fills the protocol's defaults for a minimal request", () => {
    const request = QueryRequestSchema.parse({
      version: "1.0",
      type: "query",
      query: [{ role: "user", content: "hi" }],
      user_id: "u",
      conversation_id: "c",
      message_id: "m",
    });
    expect(request).toEqual({
      version: "1.0",
      type: "query",
      query: [
        {
          role: "user",
          content: "hi",
          message_type: null,
          sender_id: null,
          sender: null,
          parameters: {},
          content_type: "text/markdown",
          timestamp: 0,
          message_id: "",
          feedback: [],
          attachments: [],
          metadata: null,
          referenced_message: null,
          reactions: [],
        },
      ],
      user_id: "u",
      conversation_id: "c",
      message_id: "m",
      metadata: "",
      api_key: "<missing>",
      access_key: "<missing>",
      temperature: null,
      skip_system_prompt: false,
      logit_bias: {},
      stop_sequences: [],
      language_code: "en",
      adopt_current_bot_name: null,
      bot_query_id: "",
      users: [],
      tools: null,
      tool_calls: null,
      tool_results: null,
      query_creation_time: null,
      extra_params: null,
    });
  });

  it("parses every field of docs/protocol.md §1.7 with its type", () => {
    const request = QueryRequestSchema.parse({
      version: "1.2",
      type: "query",
      query: [
        {
          role: "bot",
          message_type: "function_call",
          sender_id: "b-1",
          sender: { id: "b-1", name: "Helper" },
          content: "[]",
          parameters: { temperature: 0.2 },
          content_type: "text/plain",
          timestamp: 1_700_000_000_000_000,
          message_id: "m-2",
          feedback: [{ type: "like", reason: null }],
          attachments: [
            {
              url: "https://a",
              content_type: "image/png",
              name: "a.png",
              inline_ref: "r1",
              parsed_content: "a.png***a cat",
            },
          ],
          metadata: '{"x":1}',
          referenced_message: {
            role: "user",
            content: "earlier",
            referenced_message: { role: "user", content: "deeper" },
          },
          reactions: [{ user_id: "u-1", reaction: "👍" }],
        },
      ],
      user_id: "u",
      conversation_id: "c",
      message_id: "m",
      metadata: "d-1",
      temperature: 0.5,
      skip_system_prompt: true,
      logit_bias: { "42": -100 },
      stop_sequences: ["END"],
      language_code: "fr",
      adopt_current_bot_name: true,
      bot_query_id: "q-1",
      users: [{ id: "u-1", name: "Ada" }],
      tools: [
        {
          type: "function",
          function: {
            name: "f",
            description: "d",
            parameters: { type: "object", properties: {}, additionalProperties: false },
          },
        },
      ],
      tool_calls: [{ id: "call", type: "function", function: { name: "f", arguments: "{}" } }],
      tool_results: [{ role: "tool", name: "f", tool_call_id: "call", content: "1" }],
      query_creation_time: 1,
      extra_params: { any: ["thing"] },
    });
    expect(request.query[0]?.referenced_message?.referenced_message?.content).toBe("deeper");
    expect(request.tools?.[0]?.function?.parameters).toHaveProperty("additionalProperties", false);
    expect(request.users[0]).toEqual({ id: "u-1", name: "Ada" });
  });

  it("rejects wrong JSON types with the path of each field", () => {
    const result = QueryRequestSchema.safeParse({
      version: "1.2",
      type: "query",
      query: [{ role: 1, content: "x", attachments: [{ url: "u" }] }],
      user_id: "u",
      conversation_id: "c",
      message_id: "m",
      temperature: "hot",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual([
      "query.0.role",
      "query.0.attachments.0.content_type",
      "query.0.attachments.0.name",
      "temperature",
    ]);
  });

  it("validates replies down to REFERENCED_MESSAGE_DEPTH levels and keeps deeper ones as sent", () => {
    const chain = (depth: number, leaf: Record<string, unknown>): Record<string, unknown> =>
      depth === 0
        ? leaf
        : { role: "user", content: `level ${depth}`, referenced_message: chain(depth - 1, leaf) };
    const bad = ProtocolMessageSchema.safeParse(chain(2, { role: "user", content: 5 }));
    expect(bad.error?.issues[0]?.path).toEqual(["referenced_message", "referenced_message", "content"]);
    const deep = ProtocolMessageSchema.parse(
      chain(REFERENCED_MESSAGE_DEPTH + 1, { role: "user", content: "leaf" }),
    );
    let message = deep;
    for (let level = 0; level < REFERENCED_MESSAGE_DEPTH; level++) {
      expect(message.attachments).toEqual([]);
      message = message.referenced_message as typeof deep;
    }
    expect(message.referenced_message).toEqual({ role: "user", content: "leaf" });
  });

  it("keeps messages with unknown roles, which isKnownRole tells apart", () => {
    const message = ProtocolMessageSchema.parse({ role: "narrator", content: "x" });
    expect(message.role).toBe("narrator");
    expect(isKnownRole(message.role)).toBe(false);
    expect(isKnownRole("tool")).toBe(true);
  });
});

describe("other request types", () => {
  it("accepts the Python client's settings request", () => {
    expect(REQUEST_SCHEMAS.settings.parse(JSON.parse(recordedBody("client-request-settings.http")))).toEqual({
      version: "1.2",
      type: "settings",
    });
  });

  it("accepts feedback without a reason and unknown feedback types", () => {
    const body = {
      version: "1.2",
      type: "report_feedback",
      message_id: "m",
      user_id: "u",
      conversation_id: "c",
      feedback_type: "funny",
    };
    expect(REQUEST_SCHEMAS.report_feedback.parse(body).feedback_type).toBe("funny");
  });

  it("defaults report_error metadata to an empty object", () => {
    expect(
      REQUEST_SCHEMAS.report_error.parse({ version: "1", type: "report_error", message: "m", metadata: null })
        .metadata,
    ).toEqual({});
  });
});

describe("SettingsResponse", () => {
  it("accepts the Python library's settings reply, every field present and unset ones null", () => {
    const settings = SettingsResponseSchema.parse(JSON.parse(recordedBody("response-settings.http")));
    expect(settings.server_bot_dependencies).toEqual({ Echo: 1 });
    expect(settings.introduction_message).toBe("peer echo");
    expect(settings.response_version).toBe(2);
  });

  it("accepts every kind of parameter control and conditions", () => {
    const controls = ParameterControlsSchema.parse({
      sections: [
        {
          name: "All",
          collapsed_by_default: true,
          controls: [
            { control: "divider" },
            {
              control: "text_field",
              label: "Name",
              parameter_name: "name",
              default_value: "x",
              placeholder: "p",
              description: "d",
            },
            { control: "text_area", label: "Prompt", parameter_name: "prompt" },
            {
              control: "drop_down",
              label: "Model",
              parameter_name: "model",
              default_value: "a",
              options: [{ value: "a", name: "A" }],
            },
            { control: "toggle_switch", label: "Fast", parameter_name: "fast", default_value: true },
            {
              control: "slider",
              label: "T",
              parameter_name: "t",
              default_value: 0.5,
              min_value: 0,
              max_value: 1,
              step: 0.1,
            },
            {
              control: "aspect_ratio",
              label: "Size",
              parameter_name: "size",
              options: [
                { value: "1:1", width: 1, height: 1 },
                { width: 16, height: 9 },
              ],
            },
            {
              control: "condition",
              condition: { comparator: "eq", left: { parameter_name: "fast" }, right: { literal: true } },
              controls: [{ control: "text_field", label: "Why", parameter_name: "why" }],
            },
          ],
          tabs: [{ name: "More", controls: [{ control: "divider" }] }],
        },
      ],
    });
    expect(controls.api_version).toBe("2");
    expect(controls.sections[0]?.controls).toHaveLength(8);
  });

  it.each([
    ["an unknown control", { control: "wheel", label: "x", parameter_name: "x" }],
    ["a slider without bounds", { control: "slider", label: "x", parameter_name: "x" }],
    [
      "a nested condition",
      {
        control: "condition",
        condition: { comparator: "eq", left: { literal: 1 }, right: { literal: 1 } },
        controls: [
          {
            control: "condition",
            condition: { comparator: "eq", left: { literal: 1 }, right: { literal: 1 } },
            controls: [],
          },
        ],
      },
    ],
    [
      "an unknown comparator",
      {
        control: "condition",
        condition: { comparator: "like", left: { literal: 1 }, right: { literal: 1 } },
        controls: [],
      },
    ],
  ])("rejects %s", (_, control) => {
    expect(ParameterControlsSchema.safeParse({ sections: [{ controls: [control] }] }).success).toBe(false);
  });
});

describe("response events", () => {
  it("validates every event of the recorded responses", () => {
    for (const name of [
      "response-echo.http",
      "response-error.http",
      "response-features.http",
      "response-slow-with-ping.http",
    ]) {
      const decoder = new SseDecoder();
      const events = [...decoder.push(recordedBody(name)), ...decoder.end()];
      expect(events.length).toBeGreaterThan(1);
      for (const event of events) {
        const schema = RESPONSE_EVENT_SCHEMAS[event.event as keyof typeof RESPONSE_EVENT_SCHEMAS];
        expect(schema, event.event).toBeDefined();
        expect(schema.safeParse(JSON.parse(event.data)).success).toBe(true);
      }
    }
  });

  it("rejects a text event whose text is not a string", () => {
    expect(RESPONSE_EVENT_SCHEMAS.text.safeParse({ text: 1 }).success).toBe(false);
  });
});

describe("identifiers, version and limits", () => {
  it("makes identifiers of the documented form", () => {
    for (const kind of ["m", "u", "c", "d", "abc"]) {
      const id = makeIdentifier(kind);
      expect(id).toMatch(IDENTIFIER_PATTERN);
      expect(isIdentifier(id, kind)).toBe(true);
    }
    expect(makeIdentifier("m")).not.toBe(makeIdentifier("m"));
    expect(() => makeIdentifier("ABCD")).toThrow(/1 to 3 lower-case letters/);
  });

  it("checks identifiers", () => {
    expect(isIdentifier(`c-${"a=9".repeat(10)}ab`)).toBe(true);
    expect(isIdentifier(`c-${"a".repeat(32)}`, "m")).toBe(false);
    expect(isIdentifier("123")).toBe(false);
    expect(isIdentifier(`C-${"a".repeat(32)}`)).toBe(false);
    expect(isIdentifier(42)).toBe(false);
  });

  it("names Poe's limits", () => {
    expect(PROTOCOL_VERSION).toBe("1.2");
    expect(limits).toMatchObject({
      FIRST_RESPONSE_TIMEOUT_MS: 5_000,
      TOTAL_RESPONSE_TIMEOUT_MS: 600_000,
      MAX_RESPONSE_CHARACTERS: 100_000,
      MAX_RESPONSE_EVENTS: 10_000,
      MAX_BOT_CALLS_PER_MESSAGE: 10,
      ACCESS_KEY_LENGTH: 32,
      PING_INTERVAL_MS: 15_000,
    });
  });
});
