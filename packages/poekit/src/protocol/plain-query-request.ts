import type { ProtocolMessage } from "./protocol-message.js";
import { MISSING_ACCESS_KEY, type QueryRequest } from "./query-request.js";

/**
 * Reads the common shape of a query request by hand, for the server's hot path: zod's parse was the
 * largest share of the SDK's own time per echo query. It gives exactly what `QueryRequestSchema`
 * gives (the same values, the same key order: fields of the schema present in the input, in the
 * schema's order; then unknown keys, in the input's order; then the defaults of absent fields), or
 * `undefined` when the request is not of the plain shape below, and then the schema reads it (and
 * words any error). A property test holds the two together.
 *
 * Plain means: every field the schema knows is absent, `null`, or of a primitive type the schema
 * accepts; lists and maps among them (tools, users, attachments, …) are absent, `null` or empty,
 * except `stop_sequences`; messages refer to no other message and carry no sender.
 *
 * @example
 * const request = readPlainQueryRequest(JSON.parse(body)) ?? QueryRequestSchema.parse(JSON.parse(body));
 */
export function readPlainQueryRequest(input: Record<string, unknown>): QueryRequest | undefined {
  if (input.type !== "query" || !Array.isArray(input.query)) return undefined;
  const messages: ProtocolMessage[] = [];
  for (const item of input.query) {
    const message = isPlainObject(item) ? readMessage(item) : undefined;
    if (message === undefined) return undefined;
    messages.push(message);
  }
  const out: Record<string, unknown> = {};
  for (const [key, read, required] of REQUEST_FIELDS) {
    if (!Object.hasOwn(input, key)) {
      if (required) return undefined;
      continue;
    }
    const value = key === "query" ? messages : read(input[key]);
    if (value === INVALID) return undefined;
    out[key] = value;
  }
  if (!copyUnknownKeys(input, out, REQUEST_FIELD_NAMES)) return undefined;
  for (const [key, make] of REQUEST_DEFAULTS) if (out[key] == null) out[key] = make();
  return out as QueryRequest;
}

function readMessage(input: Record<string, unknown>): ProtocolMessage | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, read, required] of MESSAGE_FIELDS) {
    if (!Object.hasOwn(input, key)) {
      if (required) return undefined;
      continue;
    }
    const value = read(input[key]);
    if (value === INVALID) return undefined;
    out[key] = value;
  }
  if (!copyUnknownKeys(input, out, MESSAGE_FIELD_NAMES)) return undefined;
  for (const [key, make] of MESSAGE_DEFAULTS) if (out[key] == null) out[key] = make();
  return out as ProtocolMessage;
}

/** Keys the schema does not know are kept as they are (its objects are loose). */
function copyUnknownKeys(
  input: Record<string, unknown>,
  out: Record<string, unknown>,
  known: ReadonlySet<string>,
): boolean {
  for (const key in input) {
    if (!Object.hasOwn(input, key) || known.has(key)) continue;
    // An own `__proto__` (JSON.parse makes one) is left to the schema, whatever it does with it.
    if (key === "__proto__") return false;
    out[key] = input[key];
  }
  return true;
}

/** What a reader returns for a value it does not take. */
const INVALID: unique symbol = Symbol("invalid");
type Reader = (value: unknown) => unknown;
/** A field: its name, how it is read, and whether it is required. */
type Field = readonly [key: string, read: Reader, required?: boolean];

const string: Reader = (value) => (typeof value === "string" ? value : INVALID);
/** `null` or what `read` takes. (`undefined`, which JSON cannot hold, is left to the schema.) */
const nullish =
  (read: Reader): Reader =>
  (value) =>
    value === null ? null : read(value);
const nullishString = nullish(string);
const nullishNumber = nullish((value) =>
  typeof value === "number" && Number.isFinite(value) ? value : INVALID,
);
const nullishBoolean = nullish((value) => (typeof value === "boolean" ? value : INVALID));
/** A list of anything: only an empty one is plain (a new one, as the schema's parse makes). */
const nullishEmptyList = nullish((value) => (Array.isArray(value) && value.length === 0 ? [] : INVALID));
/** A map of anything: only an empty one is plain. */
const nullishEmptyMap = nullish((value) =>
  isPlainObject(value) && Object.keys(value).length === 0 ? {} : INVALID,
);
const nullishStrings = nullish((value) =>
  Array.isArray(value) && value.every((item) => typeof item === "string") ? [...value] : INVALID,
);
const onlyNull = nullish(() => INVALID);
const queryType: Reader = (value) => (value === "query" ? value : INVALID);

// In the order of QueryRequestSchema's shape (query-request.ts), which the output keeps.
const REQUEST_FIELDS: readonly Field[] = [
  ["version", string, true],
  ["type", queryType, true],
  ["query", () => INVALID, true], // read before, message by message
  ["user_id", string, true],
  ["conversation_id", string, true],
  ["message_id", string, true],
  ["metadata", nullishString],
  ["api_key", nullishString],
  ["access_key", nullishString],
  ["temperature", nullishNumber],
  ["skip_system_prompt", nullishBoolean],
  ["logit_bias", nullishEmptyMap],
  ["stop_sequences", nullishStrings],
  ["language_code", nullishString],
  ["adopt_current_bot_name", nullishBoolean],
  ["bot_query_id", nullishString],
  ["users", nullishEmptyList],
  ["tools", nullishEmptyList],
  ["tool_calls", nullishEmptyList],
  ["tool_results", nullishEmptyList],
  ["query_creation_time", nullishNumber],
  ["extra_params", nullishEmptyMap],
];

// The schema's defaults, in its order.
const REQUEST_DEFAULTS: ReadonlyArray<[string, () => unknown]> = [
  ["metadata", () => ""],
  ["api_key", () => MISSING_ACCESS_KEY],
  ["access_key", () => MISSING_ACCESS_KEY],
  ["temperature", () => null],
  ["skip_system_prompt", () => false],
  ["logit_bias", () => ({})],
  ["stop_sequences", () => []],
  ["language_code", () => "en"],
  ["adopt_current_bot_name", () => null],
  ["bot_query_id", () => ""],
  ["users", () => []],
  ["tools", () => null],
  ["tool_calls", () => null],
  ["tool_results", () => null],
  ["query_creation_time", () => null],
  ["extra_params", () => null],
];

// In the order of the message schema's shape (protocol-message.ts).
const MESSAGE_FIELDS: readonly Field[] = [
  ["role", string, true],
  ["message_type", nullishString],
  ["sender_id", nullishString],
  ["sender", onlyNull],
  ["content", string, true],
  ["parameters", nullishEmptyMap],
  ["content_type", nullishString],
  ["timestamp", nullishNumber],
  ["message_id", nullishString],
  ["feedback", nullishEmptyList],
  ["attachments", nullishEmptyList],
  ["metadata", nullishString],
  ["referenced_message", onlyNull],
  ["reactions", nullishEmptyList],
];

const MESSAGE_DEFAULTS: ReadonlyArray<[string, () => unknown]> = [
  ["message_type", () => null],
  ["sender_id", () => null],
  ["sender", () => null],
  ["parameters", () => ({})],
  ["content_type", () => "text/markdown"],
  ["timestamp", () => 0],
  ["message_id", () => ""],
  ["feedback", () => []],
  ["attachments", () => []],
  ["metadata", () => null],
  ["referenced_message", () => null],
  ["reactions", () => []],
];

const REQUEST_FIELD_NAMES: ReadonlySet<string> = new Set(REQUEST_FIELDS.map(([key]) => key));
const MESSAGE_FIELD_NAMES: ReadonlySet<string> = new Set(MESSAGE_FIELDS.map(([key]) => key));

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
