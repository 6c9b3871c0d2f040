import type { IncomingMessage } from "node:http";
import type { Incoming } from "../server/incoming.js";
import { type BodyResult, decodeBody, tooLarge, UNREADABLE } from "../server/read-body.js";
import { pathOfTarget } from "../server/url-path.js";

/**
 * Headers node:http keeps only the first of when a request repeats them; read from the raw list
 * instead, so a request carrying two keys is judged on both, as `Headers.get` would join them.
 */
const FIRST_ONLY = new Set(["authorization", "content-length"]);

/**
 * The {@link Incoming} of a node:http request, read straight from it: no web `Request` is made unless
 * a hook reads `context.request`.
 * @example
 * const answer = await answerer(incomingFromNode(req));
 */
export function incomingFromNode(request: IncomingMessage): Incoming {
  return new NodeIncoming(request);
}

/** A class rather than a literal of closures: one object per request instead of four. */
class NodeIncoming implements Incoming {
  readonly method: string;
  readonly path: string;

  constructor(private readonly request: IncomingMessage) {
    this.method = request.method ?? "GET";
    this.path = pathOfTarget(request.url ?? "/");
  }

  header(name: string): string | null {
    return headerOf(this.request, name);
  }

  readBody(maxBytes: number): Promise<BodyResult> {
    return readNodeBody(this.request, maxBytes);
  }

  toRequest(bodyText: string): Request {
    return toWebRequest(this.request, bodyText);
  }
}

function headerOf(request: IncomingMessage, name: string): string | null {
  if (FIRST_ONLY.has(name)) {
    let joined: string | null = null;
    const raw = request.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      if ((raw[i] as string).toLowerCase() === name) {
        joined = joined === null ? (raw[i + 1] as string) : `${joined}, ${raw[i + 1]}`;
      }
    }
    return joined;
  }
  const value = request.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

const ALREADY_READ: BodyResult = {
  ok: false,
  status: 400,
  detail: "The request body was already read before the bot got it: mount the bot before any body parser.",
};

/**
 * Reads the body up to `maxBytes`: a declared length over it is refused before reading, a chunked
 * body is counted as it arrives and reading stops at the limit.
 */
function readNodeBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(tooLarge(maxBytes));
  if (request.readableEnded || request.readableDidRead) return Promise.resolve(ALREADY_READ);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // The listeners stay on after the first outcome and do nothing more: removing four listeners
    // cost more per request than the rest of reading a small body.
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) settle(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      if (!settled)
        settle(decodeBody(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    };
    // `close` before `end`: the client went away mid-body.
    const onFailure = () => settle(UNREADABLE);
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onFailure);
    request.on("close", onFailure);
  });
}

function toWebRequest(request: IncomingMessage, bodyText: string): Request {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    try {
      headers.append(raw[i] as string, raw[i + 1] as string);
    } catch {
      // A header the fetch standard refuses; node:http let it through, the web view leaves it out.
    }
  }
  const method = request.method ?? "POST";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(`http://${safeHost(request.headers.host)}${request.url ?? "/"}`, {
    method,
    headers,
    ...(hasBody && { body: bodyText }),
  });
}

/** The Host header when it is a plain host[:port], so a hostile one cannot break the URL. */
function safeHost(host: string | undefined): string {
  return host !== undefined && /^[\w.-]+(:\d+)?$|^\[[\da-fA-F:.]+\](:\d+)?$/.test(host) ? host : "localhost";
}
