import { buildQueryRequest } from "poekit/protocol";

/** One message of a conversation, as the query carries it. */
export interface Turn {
  role: "user" | "bot";
  content: string;
}

/**
 * The headers every soak query carries. The key stands for a user's API key, as a script calling Poe's
 * bot query API sends: the simulator refuses a call without one, as Poe does.
 */
export const QUERY_HEADERS = {
  "content-type": "application/json",
  accept: "text/event-stream",
  authorization: `Bearer ${"s".repeat(32)}`,
};

/**
 * The body of a `query` request for a conversation so far (the last turn is the user's new message).
 * An empty `messageId` marks a call that belongs to no message, as a script's does.
 * @example
 * queryBody([{ role: "user", content: "ping" }], "c-1", "");
 */
export function queryBody(turns: readonly Turn[], conversationId: string, messageId: string): string {
  return JSON.stringify(
    buildQueryRequest({
      query: turns.map(({ role, content }) => ({ role, content })),
      user_id: "u-soak",
      conversation_id: conversationId,
      message_id: messageId,
    }),
  );
}
