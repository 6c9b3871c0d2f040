import type { QueryRequest } from "poekit";
import { buildQueryRequest, makeIdentifier, type QueryRequestParts } from "poekit/protocol";

/**
 * A whole `query` request as Poe itself sends one: what `buildQueryRequest` fills (the protocol's
 * defaults, new ids where none is given), and what only Poe adds: a fresh `bot_query_id` (which cost
 * calls refer to), the user among the `users`, and the time the query was made.
 *
 * @example
 * const body = queryRequestBody({ query, user_id: "u-1", conversation_id: "c-1", message_id: "m-1" });
 */
export function queryRequestBody(parts: QueryRequestParts): QueryRequest {
  const request = buildQueryRequest({
    ...parts,
    bot_query_id: parts.bot_query_id ?? makeIdentifier("bq"),
    query_creation_time: parts.query_creation_time ?? Date.now() * 1000,
  });
  if (parts.users == null) request.users = [{ id: request.user_id, name: null }];
  return request;
}
