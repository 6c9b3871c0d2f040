import { createServer, type Socket } from "node:net";

/**
 * One step of a scripted answer, written on the raw socket: bytes, a pause, a stop that leaves the
 * connection open and silent, a clean close (FIN), or a reset (RST).
 */
export type FaultStep =
  | { write: string }
  | { waitMs: number }
  | { hang: true }
  | { end: true }
  | { reset: true };

/** One connection the upstream accepted. */
export interface UpstreamConnection {
  /** The request line and headers, as received. */
  head: string;
  /** The request body. */
  body: string;
  /** Whether the client closed or broke the connection before the script ended it. */
  readonly closedByClient: boolean;
  /** Resolves when the connection is gone, whoever ended it. */
  readonly closed: Promise<void>;
}

/** A bot server that misbehaves exactly as scripted, byte by byte. */
export interface FaultyUpstream {
  /** `http://127.0.0.1:<port>/`: pass as `baseUrl`; the bot name is not looked at. */
  baseUrl: string;
  /** Every connection that sent a query, in order. */
  connections: UpstreamConnection[];
  /** The bodies of the `report_error`s received (answered 200 `{}`, not scripted). */
  reports: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The status line and headers of an event stream whose body runs until the connection closes. */
export const SSE_HEAD =
  "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\nconnection: close\r\n\r\n";

/**
 * The same, with a chunked body on a keep-alive connection: a close before the last chunk is then a
 * broken response. (With `connection: close`, Node's fetch takes such a close for the end of the body.)
 */
export const CHUNKED_SSE_HEAD =
  "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n";

/**
 * `text` as one chunk of a chunked body.
 * @example
 * chunk("hello"); // "5\r\nhello\r\n"
 */
export function chunk(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}

/** The end of a chunked body. */
export const LAST_CHUNK = "0\r\n\r\n";

/**
 * A whole response with a status other than 200 and a short text body.
 * @example
 * statusResponse(429, { "retry-after": "2" });
 */
export function statusResponse(status: number, headers: Record<string, string> = {}, body = "busy"): string {
  const lines = Object.entries({ "content-type": "text/plain", ...headers, connection: "close" }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  return `HTTP/1.1 ${status} Whatever\r\n${lines.join("")}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/**
 * Starts an upstream on 127.0.0.1 that answers connection number `n` with `scripts[n]` (the last
 * script once they run out), after reading the whole request.
 * @example
 * const upstream = await startFaultyUpstream([[{ write: SSE_HEAD }, { hang: true }]]);
 */
export async function startFaultyUpstream(
  scripts: ReadonlyArray<readonly FaultStep[]>,
): Promise<FaultyUpstream> {
  const connections: UpstreamConnection[] = [];
  const reports: Array<Record<string, unknown>> = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let received = Buffer.alloc(0);
    let started = false;
    let scriptEnded = false;
    let closedByClient = false;
    const closed = new Promise<void>((resolve) =>
      socket.once("close", () => {
        sockets.delete(socket);
        if (!scriptEnded) closedByClient = true;
        resolve();
      }),
    );
    socket.on("error", () => undefined);
    socket.on("data", (data: Buffer) => {
      if (started) return;
      received = Buffer.concat([received, data]);
      const split = received.indexOf("\r\n\r\n");
      if (split < 0) return;
      const head = received.subarray(0, split).toString("latin1");
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      const body = received.subarray(split + 4);
      if (body.length < length) return;
      started = true;
      const text = body.subarray(0, length).toString("utf8");
      if (text.includes('"type":"report_error"')) {
        reports.push(JSON.parse(text) as Record<string, unknown>);
        scriptEnded = true;
        socket.end(statusResponse(200, { "content-type": "application/json" }, "{}"));
        return;
      }
      const connection = {
        head,
        body: text,
        get closedByClient() {
          return closedByClient;
        },
        closed,
      };
      connections.push(connection);
      const script = scripts[Math.min(connections.length - 1, scripts.length - 1)] ?? [];
      void play(socket, script, () => {
        scriptEnded = true;
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    connections,
    reports,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Plays a script; `ending` is called just before the script itself ends the connection. */
async function play(socket: Socket, script: readonly FaultStep[], ending: () => void): Promise<void> {
  for (const step of script) {
    if (socket.destroyed) return;
    if ("write" in step) socket.write(step.write);
    else if ("waitMs" in step) await new Promise((resolve) => setTimeout(resolve, step.waitMs));
    else if ("hang" in step) return;
    else {
      ending();
      if ("end" in step) socket.end();
      else socket.resetAndDestroy();
      return;
    }
  }
}
