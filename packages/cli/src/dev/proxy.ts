import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { UserError } from "../user-error.js";

/** Headers that describe one connection, not the message, and so are not passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** How long a switch waits for requests sent to the previous target to get their response headers. */
const HEADERS_WAIT_MS = 5_000;

/** Options of {@link startProxy}. */
export interface ProxyOptions {
  port: number;
  host: string;
  /** The `detail` of the 503 answered while no bot process serves. */
  unavailableDetail: string;
}

/** The stable address of the bot while `poekit dev` swaps the process behind it. */
export interface DevProxy {
  /** `http://127.0.0.1:8080`. */
  url: string;
  /**
   * Sends new requests to `target` (`http://127.0.0.1:<port>`). Resolves once every request already
   * sent to the previous target has its response headers, so that the previous process can then stop
   * accepting connections without refusing one of them.
   */
  switchTo(target: string): Promise<void>;
  /** Answers new requests 503 with `detail`, as no process serves any longer. */
  pause(detail: string): void;
  /** Stops listening and cuts the connections still open. */
  close(): Promise<void>;
}

/**
 * Starts the loopback proxy that `poekit dev` registers with the simulator: each request is streamed
 * to the bot process of the moment and its response streamed back as it arrives, event by event,
 * without buffering; a client that goes away aborts the request to the bot, which stops its generator.
 * A busy port is a {@link UserError}.
 * @example
 * const proxy = await startProxy({ port: 8080, host: "127.0.0.1", unavailableDetail: "The bot is not loaded." });
 * await proxy.switchTo("http://127.0.0.1:41234");
 */
export async function startProxy(options: ProxyOptions): Promise<DevProxy> {
  let target: string | null = null;
  let unavailable = options.unavailableDetail;
  /** Per target, the requests sent to it that have no response headers yet. */
  const awaitingHeaders = new Map<string, Set<Promise<void>>>();

  const forward = (request: IncomingMessage, response: ServerResponse) => {
    if (target === null) {
      sendJson(response, 503, { detail: unavailable });
      request.resume();
      return;
    }
    const to = target;
    let headersArrived: () => void = () => {};
    const pending = new Promise<void>((resolve) => {
      headersArrived = resolve;
    });
    const pendingForTarget = awaitingHeaders.get(to) ?? new Set();
    awaitingHeaders.set(to, pendingForTarget.add(pending));
    const settle = () => {
      pendingForTarget.delete(pending);
      headersArrived();
    };

    const upstream = http.request(new URL(request.url ?? "/", to), {
      method: request.method,
      headers: endToEnd(request.headers),
      // A connection per request: none is reused across a switch, and loopback connects are cheap.
      agent: false,
    });
    upstream.on("response", (answer) => {
      settle();
      response.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      // Poe's first-byte limit: the headers leave now, not with the first event.
      response.flushHeaders();
      answer.pipe(response);
      answer.on("error", () => response.destroy());
      answer.on("close", () => {
        if (!answer.complete) response.destroy();
      });
    });
    upstream.on("error", (error) => {
      settle();
      if (response.headersSent) response.destroy();
      else {
        sendJson(response, 502, {
          detail: `poekit dev could not reach the bot process (${error.message}); save a file to start it again.`,
        });
      }
    });
    // The client went away before the end: abort the request to the bot, which stops its generator.
    response.on("close", () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  };

  const server = http.createServer(forward);
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const closed = new Promise<void>((resolve) => server.once("close", () => resolve()));

  return {
    url: `http://${options.host}:${port}`,
    switchTo: async (next) => {
      const previous = target;
      target = next;
      if (previous === null || previous === next) return;
      const pending = Promise.all(awaitingHeaders.get(previous) ?? []);
      // A bot that never answers one of them must not hold up the switch for ever.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, HEADERS_WAIT_MS)))]);
      clearTimeout(timer);
      awaitingHeaders.delete(previous);
    },
    pause: (detail) => {
      target = null;
      unavailable = detail;
    },
    close: async () => {
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(new UserError(`Port ${port} is in use; choose another with --port (0 picks a free one).`));
      } else if (error.code === "EACCES") {
        reject(new UserError(`No permission to listen on port ${port}; choose one above 1023 with --port.`));
      } else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}
