import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordedText } from "../test-support/recorded-http.js";
import { jsonDepthExceeds } from "./json-depth.js";
import { PLAIN_QUERY_MAX_DEPTH, readPlainQueryRequest } from "./plain-query-request.js";
import { ProtocolMessageSchema } from "./protocol-message.js";
import { QueryRequestSchema } from "./query-request.js";

/** The JSON body of a request recorded from fastapi_poe's client (the shape Poe sends). */
function recordedQuery(): Record<string, unknown> {
  const text = readFileSync(
    new URL("./fixtures/fastapi_poe/client-request-query.http", import.meta.url),
    "utf8",
  );
  return JSON.parse(text.slice(text.indexOf("\n{") + 1)) as Record<string, unknown>;
}

/** Both readers on copies of one input: the schema's verdict and the hand reader's. */
function readBoth(input: unknown) {
  const schema = QueryRequestSchema.safeParse(structuredClone(input));
  const plain = readPlainQueryRequest(structuredClone(input) as Record<string, unknown>);
  return { schema, plain };
}

/** The hand reader gives what the schema gives, key order included, or leaves the input to it. */
function expectSameAsSchema(input: unknown): "read" | "left" {
  const { schema, plain } = readBoth(input);
  if (!schema.success) {
    expect(plain).toBeUndefined();
    return "left";
  }
  if (plain === undefined) return "left";
  // What the hand reader takes nests so little that servers skip the depth walk for it.
  expect(jsonDepthExceeds(input, PLAIN_QUERY_MAX_DEPTH)).toBe(false);
  // The JSON text compares key order too; toEqual the values (toStrictEqual would compare the
  // `constructor` of objects, which an unknown key named "constructor" replaces).
  expect(JSON.stringify(plain)).toBe(JSON.stringify(schema.data));
  expect(plain).toEqual(schema.data);
  return "read";
}

const json = fc.jsonValue({ maxDepth: 2 });
/** A value for a field: valid kinds, `null`, empty and non-empty lists and maps, and wrong kinds. */
const anyValue = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 8 }),
  fc.constantFrom("query", "user", "bot", "text/plain", "1.2", ""),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
  json,
);

const MESSAGE_KEYS = [
  "role",
  "message_type",
  "sender_id",
  "sender",
  "content",
  "parameters",
  "content_type",
  "timestamp",
  "message_id",
  "feedback",
  "attachments",
  "metadata",
  "referenced_message",
  "reactions",
];
const REQUEST_KEYS = [
  "version",
  "user_id",
  "conversation_id",
  "message_id",
  "metadata",
  "api_key",
  "access_key",
  "temperature",
  "skip_system_prompt",
  "logit_bias",
  "stop_sequences",
  "language_code",
  "adopt_current_bot_name",
  "bot_query_id",
  "users",
  "tools",
  "tool_calls",
  "tool_results",
  "query_creation_time",
  "extra_params",
];
const UNKNOWN_KEYS = ["zz", "aa", "extra", "constructor", "toString", "__proto__", "0"];

/**
 * An object built from `base` (a valid one) with some fields replaced by generated values, some
 * removed, some unknown keys added, in a shuffled key order.
 */
function mutated(base: Record<string, unknown>, keys: readonly string[], extra = fc.constant({})) {
  return fc
    .tuple(
      fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: 3 }),
      fc.subarray([...keys], { maxLength: 2 }),
      fc.dictionary(fc.constantFrom(...UNKNOWN_KEYS), json, { maxKeys: 2 }),
      extra,
      fc.integer(),
    )
    .map(([replaced, removed, unknown, more, seed]) => {
      const entries = Object.entries({ ...base, ...replaced, ...more });
      for (const [key, value] of Object.entries(unknown)) entries.push([key, value]);
      const kept = entries.filter(([key]) => !removed.includes(key));
      // A deterministic shuffle from the seed, so fast-check can shrink it.
      let state = seed;
      for (let i = kept.length - 1; i > 0; i--) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        const j = state % (i + 1);
        [kept[i], kept[j]] = [kept[j] as [string, unknown], kept[i] as [string, unknown]];
      }
      // defineProperty, so that a "__proto__" key is an own key, as JSON.parse makes it.
      const object: Record<string, unknown> = {};
      for (const [key, value] of kept) {
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return object;
    });
}

const BASE_MESSAGE = { role: "user", content: "Hello" };
const BASE_REQUEST = {
  version: "1.2",
  type: "query",
  user_id: "u",
  conversation_id: "c",
  message_id: "m",
};
const message = mutated(BASE_MESSAGE, MESSAGE_KEYS);
const request = mutated(
  BASE_REQUEST,
  REQUEST_KEYS,
  fc.record({ query: fc.array(message, { maxLength: 3 }) }),
);

describe("readPlainQueryRequest", () => {
  it("reads a request recorded from Poe's Python client as the schema does", () => {
    expect(expectSameAsSchema(recordedQuery())).toBe("read");
  });

  it("reads a request with every optional field null (fastapi_poe's dump of unset values) as the schema does", () => {
    const nulls = (keys: readonly string[], required: object) =>
      Object.fromEntries(keys.map((key) => [key, key in required ? (required as never)[key] : null]));
    const input = {
      ...nulls(REQUEST_KEYS, BASE_REQUEST),
      type: "query",
      query: [nulls(MESSAGE_KEYS, BASE_MESSAGE)],
    };
    expect(expectSameAsSchema(input)).toBe("read");
  });

  it("knows every field of the schema, so that none is read as an unknown key", () => {
    const shape = (schema: unknown) =>
      Object.keys((schema as { _zod: { def: { in: { shape: object } } } })._zod.def.in.shape);
    expect([...REQUEST_KEYS].sort()).toEqual(
      shape(QueryRequestSchema)
        .filter((k) => k !== "query" && k !== "type")
        .sort(),
    );
    expect([...MESSAGE_KEYS].sort()).toEqual(shape(ProtocolMessageSchema).sort());
  });

  it("leaves the tool loop's recorded requests (custom tools' shapes aside) to the schema, which takes them", () => {
    for (const name of ["client-request-query-tools.http", "client-request-query-tool-results.http"]) {
      const input = JSON.parse(recordedText(name));
      expect(readPlainQueryRequest(structuredClone(input))).toBeUndefined();
      expect(QueryRequestSchema.safeParse(input).success).toBe(true);
    }
  });

  it("reads the smallest request, filling every default as the schema does", () => {
    expect(expectSameAsSchema({ ...BASE_REQUEST, query: [BASE_MESSAGE] })).toBe("read");
  });

  it("leaves to the schema what is not plain: tools, attachments, a referenced message, a sender", () => {
    const base = { ...BASE_REQUEST, query: [BASE_MESSAGE] };
    const attachment = { url: "https://x/a.png", content_type: "image/png", name: "a.png" };
    const unplain = [
      { ...base, tools: [{ type: "function", function: { name: "f", parameters: {} } }] },
      { ...base, query: [{ ...BASE_MESSAGE, attachments: [attachment] }] },
      { ...base, query: [{ ...BASE_MESSAGE, referenced_message: BASE_MESSAGE }] },
      { ...base, query: [{ ...BASE_MESSAGE, sender: { id: "s" } }] },
      { ...base, logit_bias: { a: 1 } },
    ];
    for (const input of unplain) expect(readPlainQueryRequest(structuredClone(input))).toBeUndefined();
  });

  it("leaves to the schema a request or message with an object or list under an unknown key", () => {
    const base = { ...BASE_REQUEST, query: [BASE_MESSAGE] };
    expect(readPlainQueryRequest({ ...base, extra: "kept", n: 1 })).toMatchObject({ extra: "kept", n: 1 });
    for (const value of [{}, [], { a: [[]] }]) {
      expect(readPlainQueryRequest(structuredClone({ ...base, extra: value }))).toBeUndefined();
      const message = { ...BASE_MESSAGE, extra: value };
      expect(readPlainQueryRequest(structuredClone({ ...base, query: [message] }))).toBeUndefined();
    }
  });

  it("gives what the schema gives, key order included, for 3,000 generated requests, or leaves them to it", () => {
    const outcomes = { read: 0, left: 0 };
    fc.assert(
      fc.property(request, (input) => {
        outcomes[expectSameAsSchema(input)]++;
      }),
      { numRuns: 3_000 },
    );
    // The comparison is not vacuous: a good share of the generated requests take the plain path
    // (96 to 132 of 3,000 seen across seeds, so the floor sits well below that).
    expect(outcomes.read).toBeGreaterThan(50);
  });
});
