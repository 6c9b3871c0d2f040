import { Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import type { FetchLike } from "./target.js";

/**
 * Keep-alive connections to the bots, as `fetch` keeps them: an idle one is closed after 4 s, or a
 * second before the `Keep-Alive: timeout` the bot announced, and does not hold the process open. (The
 * timeout only raises a `timeout` event on a connection in use, which nothing here listens to.)
 */
const agent = new Agent({ keepAlive: true, timeout: 4_000 });

/** Statuses whose response has no body; a web `Response` refuses one for them. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * `fetch` for the simulator's requests to bots at `http:` URLs, sent with `node:http`, which skips
 * what costs most in Node's `fetch`: its spec machinery (a `Request`, its signal, promise hops on the
 * way in and out), most of what the simulator spent between a caller and a bot (docs/benchmarks.md).
 *
 * It answers as `fetch` would: a web `Response` whose body streams as the bot sends (with
 * backpressure; cancelling it closes the connection), a failed request rejected with
 * `TypeError("fetch failed")` and the cause, an abort with the signal's reason. What it does not do
 * itself it leaves to `fetch`: other URLs and bodies, redirects and compressed answers (the request is
 * sent again with `fetch`, which follows and decodes them). A request on a kept-alive connection that
 * the bot closed as it was reused, before any answer, is sent again on another.
 *
 * @example
 * const response = await httpFetch("http://127.0.0.1:8080/", { method: "POST", body: "{}" });
 */
export const httpFetch: FetchLike = (input, init = {}) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : null;
  const body = init.body ?? null;
  if (url === null || !url.startsWith("http:") || (body !== null && typeof body !== "string")) {
    return fetch(input, init);
  }
  const headers = new Headers(init.headers);
  headers.set("content-length", String(Buffer.byteLength(body ?? "")));
  // fetch would ask for compression and decode it; asking for none keeps the bytes as the bot sent them.
  if (!headers.has("accept-encoding")) headers.set("accept-encoding", "identity");
  const options = { method: init.method ?? "GET", headers: Object.fromEntries(headers), agent };
  return new Promise<Response>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    let current: ClientRequest | undefined;
    let settled = false;
    const settle = (response: Response | Promise<Response> | null, error?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (response !== null) resolve(response);
      else reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error }));
    };
    const onAbort = () => {
      settle(null);
      current?.destroy();
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    const send = () => {
      const req = httpRequest(url, options, (res) => {
        if (settled) {
          req.destroy();
        } else if (isRedirect(res) || isEncoded(res)) {
          req.destroy();
          settle(fetch(url, init));
        } else {
          settle(toResponse(res, req, signal));
        }
      });
      current = req;
      req.on("error", (error: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE");
        if (stale && !settled) send();
        else settle(null, error);
      });
      req.end(body ?? undefined);
    };
    send();
  });
};

/** The bot's answer as a web `Response`, its body read from `res` as the reader asks for more. */
function toResponse(res: IncomingMessage, req: ClientRequest, signal: AbortSignal | undefined): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const status = res.statusCode ?? 0;
  const init = { status, statusText: res.statusMessage, headers };
  if (NULL_BODY_STATUSES.has(status)) {
    res.resume();
    return new Response(null, init);
  }
  let ended = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error?: unknown) => {
        if (ended) return;
        ended = true;
        signal?.removeEventListener("abort", onAbort);
        controller.error(signal?.aborted ? signal.reason : new TypeError("terminated", { cause: error }));
      };
      const onAbort = () => {
        req.destroy();
        fail();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      res.on("data", (chunk: Buffer) => {
        if (ended) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) res.pause();
      });
      res.once("end", () => {
        if (ended) return;
        ended = true;
        signal?.removeEventListener("abort", onAbort);
        controller.close();
      });
      res.once("error", fail);
      res.once("close", () => fail(new Error("The connection closed before the response ended.")));
    },
    pull() {
      res.resume();
    },
    cancel() {
      ended = true;
      // A connection with an unread answer on it cannot serve another request: it is closed.
      req.destroy();
    },
  });
  return new Response(body, init);
}

function isRedirect(res: IncomingMessage): boolean {
  const status = res.statusCode ?? 0;
  return status >= 300 && status < 400 && res.headers.location !== undefined;
}

function isEncoded(res: IncomingMessage): boolean {
  const encoding = res.headers["content-encoding"];
  return encoding !== undefined && encoding.toLowerCase() !== "identity";
}
