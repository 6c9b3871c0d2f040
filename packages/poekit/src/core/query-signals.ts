/**
 * The abort signal of each query being answered, by the objects the bot was given: the request
 * itself and each of its messages. `streamRequest` looks its `request` argument up here, so a call
 * made while answering a query is cancelled with it even when the bot passes no `signal`.
 *
 * Why objects rather than AsyncLocalStorage: a WeakMap works on every runtime (the SDK core imports
 * nothing from node:), costs nothing per event (ALS would wrap every `next()` of the bot's
 * generator), and dies with the request. The messages are keys too so that the documented
 * `{ ...request, query: [...request.query, more] }` still finds its query; a request rebuilt from
 * scratch does not, and needs `signal: context.signal`.
 * @internal
 * @example
 * registerQuerySignal(query, abort); // the server, as it starts answering
 * querySignalOf(request); // streamRequest: the signal, or undefined outside a query
 */

/** A holder whose signal is made only when read (the server's LazyAbort). */
export interface SignalSource {
  readonly signal: AbortSignal;
  /** When present, counts the calls to Poe made while answering the query (its access record). */
  upstreamCalls?: number;
}

const sources = new WeakMap<object, SignalSource>();

/** Links `request` and its messages to the query's signal. */
export function registerQuerySignal(request: { query: readonly object[] }, source: SignalSource): void {
  sources.set(request, source);
  for (const message of request.query) sources.set(message, source);
}

/** The signal of the query `request` is, or was built from; undefined when it is no query's. */
export function querySignalOf(request: unknown): AbortSignal | undefined {
  return sourceOf(request)?.signal;
}

/** Counts a call to Poe (streamRequest, a cost call) made with `request`, when it is a query's. */
export function countUpstreamCall(request: unknown): void {
  const source = sourceOf(request);
  if (source?.upstreamCalls !== undefined) source.upstreamCalls++;
}

function sourceOf(request: unknown): SignalSource | undefined {
  if (typeof request !== "object" || request === null) return undefined;
  let source = sources.get(request);
  const messages = (request as { query?: unknown }).query;
  // The newest message first: older ones may be kept from an earlier query by the bot.
  if (source === undefined && Array.isArray(messages)) {
    for (let index = messages.length - 1; index >= 0 && source === undefined; index--) {
      const message: unknown = messages[index];
      if (typeof message === "object" && message !== null) source = sources.get(message);
    }
  }
  return source;
}
