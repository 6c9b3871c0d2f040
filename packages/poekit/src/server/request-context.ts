import type { Incoming } from "./incoming.js";
import type { LazyAbort } from "./lazy-abort.js";

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

/**
 * The context poekit gives the hooks. A class, not an object literal with a getter: literals with
 * accessors get a hidden class of their own each time, which made every request several times
 * slower downstream.
 */
export class LiveRequestContext implements RequestContext {
  #request: Request | undefined;

  constructor(
    private readonly incoming: Incoming,
    private readonly bodyText: string,
    private readonly abort: LazyAbort,
  ) {}

  /** Made when first read: building a `Request` costs more than answering a small query. */
  get request(): Request {
    this.#request ??= this.incoming.toRequest(this.bodyText);
    return this.#request;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }
}
