import type { FetchLike } from "@poekit/simulator/exchange";

/**
 * Sent with every request of `poekit check`: each goes on a connection of its own, closed after it.
 * A pooled connection may have been closed by the bot a moment earlier (servers close connections
 * after answering a malformed body, as Python ones do), and a request sent on it fails before any
 * answer: a failure of the checker's reuse, not of the bot. Poe's own reuse is not what is checked.
 */
export const FRESH_CONNECTION = { connection: "close" } as const;

/**
 * The global `fetch`, with {@link FRESH_CONNECTION} added to the request's headers.
 * @example
 * await runExchange({ target: { name: "bot", url, accessKey, fetch: freshFetch }, body });
 */
export const freshFetch: FetchLike = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set("connection", FRESH_CONNECTION.connection);
  return fetch(input, { ...init, headers });
};
