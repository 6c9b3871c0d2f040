import type { ProtocolMessage } from "poekit";
import { makeIdentifier, PROTOCOL_VERSION } from "poekit/protocol";

/** What changes from one `query` request to the next; the rest is what Poe sends by default. */
export interface QueryRequestFields {
  query: readonly ProtocolMessage[];
  userId: string;
  conversationId: string;
  messageId: string;
  /** Microseconds since the epoch; default now. */
  creationTime?: number;
}

/**
 * A whole `query` request as Poe sends one: every field present, defaults filled in, a fresh
 * `bot_query_id` (which cost calls refer to).
 *
 * @example
 * const body = queryRequestBody({ query, userId: "u-1", conversationId: "c-1", messageId: "m-1" });
 */
export function queryRequestBody(fields: QueryRequestFields): Record<string, unknown> {
  return {
    version: PROTOCOL_VERSION,
    type: "query",
    query: fields.query,
    user_id: fields.userId,
    conversation_id: fields.conversationId,
    message_id: fields.messageId,
    metadata: "",
    bot_query_id: makeIdentifier("bq"),
    temperature: null,
    skip_system_prompt: false,
    logit_bias: {},
    stop_sequences: [],
    language_code: "en",
    users: [{ id: fields.userId, name: null }],
    query_creation_time: fields.creationTime ?? Date.now() * 1000,
  };
}
