import { AttachmentSchema } from "./attachment.js";
import { makeIdentifier } from "./identifiers.js";
import { isJsonObject } from "./json.js";
import { MessageFeedbackSchema } from "./message-feedback.js";
import { type ProtocolMessage, type ProtocolMessageInit, ProtocolMessageSchema } from "./protocol-message.js";
import { type QueryRequest, type QueryRequestInit, QueryRequestSchema } from "./query-request.js";
import { fieldsOf } from "./schema-helpers.js";
import { SenderSchema } from "./sender.js";
import { UserSchema } from "./user.js";
import { PROTOCOL_VERSION } from "./version.js";

/** A message as a caller writes it: a string is a user message. */
export type QueryMessageInput = string | ProtocolMessageInit;

/** The parts of a query request a caller chooses; every one may be left out. */
export type QueryRequestParts = {
  [K in keyof QueryRequestInit as K extends "query" ? never : K]?: QueryRequestInit[K];
} & { query?: readonly QueryMessageInput[] };

/**
 * A whole `query` request from the parts a caller chooses, every field written out in the
 * protocol's order as fastapi_poe and Poe send them: `version` and `type` of this protocol, new
 * `user_id`, `conversation_id` and `message_id` where none is given, and the schema's own default for
 * every other field left out or `null`, in the request and in each message (sender, attachments,
 * feedback and replies included). What the caller gives is kept as given, unknown keys
 * too: the builder fills, it does not validate (`QueryRequestSchema.parse` does that).
 * @example
 * const request = buildQueryRequest({ query: ["Hello"], user_id: "u-1", temperature: 0.2 });
 * request.query[0].content_type; // "text/markdown"
 * request.conversation_id; // "c-…" (new)
 */
export function buildQueryRequest(parts: QueryRequestParts = {}): QueryRequest {
  return fill(QueryRequestSchema, {
    ...parts,
    version: parts.version ?? PROTOCOL_VERSION,
    type: parts.type ?? "query",
    query: (parts.query ?? []).map(buildProtocolMessage),
    user_id: parts.user_id ?? makeIdentifier("u"),
    conversation_id: parts.conversation_id ?? makeIdentifier("c"),
    message_id: parts.message_id ?? makeIdentifier("m"),
    users: Array.isArray(parts.users) ? parts.users.map((user) => fill(UserSchema, user)) : parts.users,
  }) as QueryRequest;
}

/**
 * A whole message from the fields a caller chooses, every field written out as Poe sends it, with
 * the schema's defaults for the rest (a string is a user message). Reactions have no optional
 * fields, so they go as given.
 * @example
 * buildProtocolMessage("Hi").sender; // null
 * buildProtocolMessage({ role: "bot", content: "Hello", sender: { name: "Echo" } }).sender; // { id: null, name: "Echo" }
 */
export function buildProtocolMessage(message: QueryMessageInput): ProtocolMessage {
  if (typeof message === "string") message = { role: "user", content: message };
  // A caller may hand over anything (a test sending a broken message on purpose): it goes as it is.
  if (!isJsonObject(message)) return message as ProtocolMessage;
  const { sender, attachments, feedback, referenced_message } = message;
  return fill(ProtocolMessageSchema, {
    ...message,
    sender: isJsonObject(sender) ? fill(SenderSchema, sender) : sender,
    attachments: Array.isArray(attachments)
      ? attachments.map((file) => fill(AttachmentSchema, file))
      : attachments,
    feedback: Array.isArray(feedback) ? feedback.map((item) => fill(MessageFeedbackSchema, item)) : feedback,
    referenced_message: isJsonObject(referenced_message)
      ? buildProtocolMessage(referenced_message as ProtocolMessageInit)
      : referenced_message,
  }) as ProtocolMessage;
}

/**
 * `given` with the schema's fields first, in the schema's order, each absent or `null` optional one
 * given its default; then the keys the schema does not know, as given. Not objects stay as they are.
 */
function fill(schema: object, given: unknown): Record<string, unknown> {
  if (!isJsonObject(given)) return given as Record<string, unknown>;
  const { keys, defaults } = fieldsOf(schema);
  const filled: Record<string, unknown> = {};
  for (const key of keys) {
    const value = given[key];
    const makeDefault = defaults[key];
    if (value == null && makeDefault) filled[key] = makeDefault();
    else if (value !== undefined) filled[key] = value;
  }
  for (const key of Object.keys(given)) {
    if (keys.includes(key)) continue;
    // Defined, not assigned: an own `__proto__` key (JSON.parse makes them) stays a plain key.
    Object.defineProperty(filled, key, {
      value: given[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return filled;
}
