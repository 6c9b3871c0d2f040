/** A fetch function: the global one, or an in-process app's handler wrapped to take fetch's arguments. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The bot a request goes to, and how its requests are sent. */
export interface ExchangeTarget {
  /** The bot's handle, for messages. */
  name: string;
  /** The bot server's URL: every request type is POSTed there. */
  url: string;
  /**
   * Sent as `Authorization: Bearer <key>` with every request, as Poe does: the bot's own key, or one
   * from `generateAccessKey()` when it was given none.
   */
  accessKey: string;
  /** How to send requests; built-in bots are served in-process through this. Default: global `fetch`. */
  fetch?: FetchLike;
}

/**
 * The headers of every request to the bot. Poe always authenticates, and bots built on some libraries
 * refuse a request without `Authorization` even when they check no key.
 */
export function botRequestHeaders(target: ExchangeTarget, accept: string): Record<string, string> {
  return { "content-type": "application/json", accept, authorization: `Bearer ${target.accessKey}` };
}

/** The fetch to use for `target`: its own (in-process bots) or the global one. */
export function fetchFor(target: ExchangeTarget): FetchLike {
  return target.fetch ?? globalThis.fetch;
}
