/**
 * What a bot's `*WithContext` hooks receive besides the parsed request.
 * @example
 * async *getResponseWithContext(request, context) {
 *   yield `You called ${new URL(context.request.url).pathname}`;
 *   const answer = await fetch(url, { signal: context.signal });
 * }
 */
export interface RequestContext {
  /** The HTTP request as received (its body already read). */
  request: Request;
  /** Aborts when the client disconnects or the server ends the response; pass it to upstream calls. */
  signal: AbortSignal;
}
