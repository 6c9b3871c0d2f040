import { type BodyResult, readBody } from "./read-body.js";
import { pathOf } from "./url-path.js";

/**
 * One request as the app reads it: only what answering needs, so node:http can hand its request
 * over without building a web `Request` (most hooks never look at one).
 */
export interface Incoming {
  readonly method: string;
  /** The URL's path, without query or fragment. */
  readonly path: string;
  /** A header's value (duplicates joined with ", ", as `Headers.get` does), or null. Name in lower case. */
  header(name: string): string | null;
  /** Reads the body as text, refusing one over `maxBytes`. Called at most once. */
  readBody(maxBytes: number): Promise<BodyResult>;
  /** The request as a web `Request`, for `context.request`; `bodyText` is the body already read. */
  toRequest(bodyText: string): Request;
}

/**
 * The {@link Incoming} of a web `Request` (the `fetch` handler's side).
 * @example
 * const incoming = incomingFromRequest(new Request("http://localhost/", { method: "POST", body: "{}" }));
 */
export function incomingFromRequest(request: Request): Incoming {
  return {
    method: request.method,
    path: pathOf(request.url),
    header: (name) => request.headers.get(name),
    readBody: (maxBytes) => readBody(request, maxBytes),
    toRequest: () => request,
  };
}
