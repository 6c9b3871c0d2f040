// A node:http listener for any web-standard fetch handler (one not made by makeApp, which is answered
// straight from node:http instead). A few lines of our own rather than a dependency: a production
// install of poekit is then the SDK and zod, nothing else.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

/** What {@link fetchListener} calls: `app.fetch`, or any function of the same shape. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Serves `handle` on node:http: the request becomes a web `Request` (its body streamed, its signal
 * aborted when the client goes away), and the `Response` is written back with backpressure. A handler
 * that throws gets a 500 with a JSON body; a body that fails midway ends the connection.
 * @example
 * http.createServer(fetchListener((request) => new Response("hi"))).listen(8080);
 */
export function fetchListener(handle: FetchHandler) {
  return async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const abort = new AbortController();
    // `close` on the response fires when it ended or the connection dropped; only the latter aborts.
    outgoing.once("close", () => {
      if (!outgoing.writableFinished) abort.abort();
    });
    let response: Response;
    try {
      response = await handle(toRequest(incoming, abort.signal));
    } catch {
      if (!outgoing.headersSent) {
        outgoing.writeHead(500, { "content-type": "application/json" });
        outgoing.end('{"detail":"The server failed to answer."}');
      }
      return;
    }
    await writeResponse(response, outgoing, abort.signal);
  };
}

function toRequest(incoming: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const host = headers.get("host") ?? "localhost";
  const method = incoming.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", `http://${host}`), {
    method,
    headers,
    signal,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null,
    // Required by the fetch standard for a streamed request body.
    duplex: "half",
  } as RequestInit);
}

async function writeResponse(
  response: Response,
  outgoing: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers.push([name, value]);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push(["set-cookie", cookie]);
  outgoing.writeHead(response.status, response.statusText || undefined, headers.flat());
  if (response.body === null) {
    outgoing.end();
    return;
  }
  const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>, { signal });
  await new Promise<void>((resolve) => {
    body.on("error", () => {
      outgoing.destroy();
      resolve();
    });
    outgoing.once("close", resolve);
    body.pipe(outgoing);
  });
}
