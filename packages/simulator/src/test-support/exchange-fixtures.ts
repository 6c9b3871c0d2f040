import { frame } from "../../../poekit/src/test-support/raw-sse-server.js";

/** A `text` event as a bot writes it. */
export const text = (value: string): string => frame("text", JSON.stringify({ text: value }));

/** The `done` event as a bot writes it. */
export const DONE = frame("done", "{}");

/** The smallest valid query, for exchanges with a test bot. */
export const QUERY = {
  version: "1.2",
  type: "query",
  query: [{ role: "user", content: "hi" }],
  user_id: "u-1",
  conversation_id: "c-1",
  message_id: "m-1",
};
