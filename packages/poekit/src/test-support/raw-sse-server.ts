import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the raw server received, with its JSON body. */
export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** What a route gets: the request (body already read and parsed) and the response to write by hand. */
export interface RawExchange {
  request: IncomingMessage;
  response: ServerResponse;
  body: Record<string, unknown>;
}

/** Writes the answer to one query, byte by byte as the test wants it. */
export type RawRoute = (exchange: RawExchange) => void;

/** A node:http server that answers queries through hand-written routes and records `report_error`s. */
export interface RawSseServer {
  /** `http://127.0.0.1:<port>/`: pass as `baseUrl`, with a route's name (no slash) as the bot name. */
  baseUrl: string;
  /** Every request that was not a `report_error`, in arrival order. */
  queries: RecordedRequest[];
  /** Every `report_error` request, in arrival order; each is answered 200 `{}`. */
  reports: RecordedRequest[];
  /** Forgets the recorded requests. */
  reset(): void;
  /** Closes the server and every connection still open. */
  close(): Promise<void>;
}

/** The headers of an event stream. */
export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
};

/** One SSE frame with `data` exactly as given (so it may be malformed on purpose). */
export function frame(event: string, data: string): string {
  return `event: ${event}\r\ndata: ${data}\r\n\r\n`;
}

/** Answers 200 `text/event-stream` with the given raw chunks, then ends the response. */
export function sendSse(response: ServerResponse, ...chunks: string[]): void {
  response.writeHead(200, SSE_HEADERS);
  for (const chunk of chunks) response.write(chunk);
  response.end();
}

/**
 * Starts a server on 127.0.0.1 on a free port. A POST to `/<name>` runs `routes[name]` unless its
 * body has `type: "report_error"`, which is recorded and answered 200 `{}`.
 */
export async function startRawSseServer(routes: Record<string, RawRoute>): Promise<RawSseServer> {
  const queries: RecordedRequest[] = [];
  const reports: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    // A client that goes away mid-answer must not crash the test run.
    response.on("error", () => undefined);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = new URL(request.url ?? "/", "http://raw.test").pathname;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        response.writeHead(400, { "content-type": "application/json" });
        response.end('{"detail":"not JSON"}');
        return;
      }
      const recorded = { path, headers: request.headers, body };
      if (body.type === "report_error") {
        reports.push(recorded);
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
        return;
      }
      queries.push(recorded);
      const route = routes[decodeURIComponent(path.slice(1))];
      if (!route) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ detail: `No route ${path}` }));
        return;
      }
      route({ request, response, body });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    queries,
    reports,
    reset() {
      queries.length = 0;
      reports.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
