import { buildQueryRequest } from "poekit/protocol";

/**
 * The body of a `query` request as Poe sends it, every field written out, with one user message,
 * for the user message `messageId` (each message of a conversation has its own).
 * @example
 * await fetch(url, { method: "POST", headers: QUERY_HEADERS, body: queryBody("Hello") });
 */
export function queryBody(content: string, messageId = "m-bench"): string {
  return JSON.stringify(
    buildQueryRequest({
      query: [{ role: "user", content, timestamp: 1764000000000000 }],
      user_id: "u-bench",
      conversation_id: "c-bench",
      message_id: messageId,
    }),
  );
}

/** The headers every bench query carries. */
export const QUERY_HEADERS = { "content-type": "application/json", accept: "text/event-stream" };
