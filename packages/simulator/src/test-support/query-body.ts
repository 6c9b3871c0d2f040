import type { QueryRequestInit } from "poekit";
import { makeIdentifier } from "poekit/protocol";

/**
 * A query with one user message, for message `messageId`, as a bot or script sends it to the bot
 * query API (each with its own `bot_query_id`).
 *
 * @example
 * streamRequest(queryBody("m-1", "hi"), "Target", key, { baseUrl: `${origin}/bot/` });
 */
export function queryBody(messageId: string, text = "hi"): QueryRequestInit {
  return {
    version: "1.2",
    type: "query",
    query: [{ role: "user", content: text, content_type: "text/markdown" }],
    user_id: "u-test",
    conversation_id: "c-test",
    message_id: messageId,
    bot_query_id: makeIdentifier("bq"),
  };
}
