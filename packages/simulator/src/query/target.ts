/** A fetch function: the global one, or an in-process app's handler wrapped to take fetch's arguments. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The bot a request goes to, and how its requests are sent. */
export interface ExchangeTarget {
  /** The bot's handle, for messages. */
  name: string;
  /** The bot server's URL: every request type is POSTed there. */
  url: string;
  /** The bot's access key, sent as a Bearer token; null when the bot has none. */
  accessKey: string | null;
  /** How to send requests; built-in bots are served in-process through this. Default: global `fetch`. */
  fetch?: FetchLike;
}

/**
 * The headers of every request to the bot. Poe always authenticates, but a bot registered without
 * a key has nothing to send, and a made-up token would only hide that.
 */
export function botRequestHeaders(target: ExchangeTarget, accept: string): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", accept };
  if (target.accessKey !== null) headers.authorization = `Bearer ${target.accessKey}`;
  return headers;
}

/** The fetch to use for `target`: its own (in-process bots) or the global one. */
export function fetchFor(target: ExchangeTarget): FetchLike {
  return target.fetch ?? globalThis.fetch;
}
