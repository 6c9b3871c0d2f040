import { connect } from "node:net";

/** What came back on a raw connection. */
export interface RawReply {
  /** Every byte the server sent, as latin1 text. */
  text: string;
  /** The status codes of the responses in `text`, in order. */
  statuses: number[];
  /** Whether the server closed the connection (rather than the guard timing out). */
  closedByServer: boolean;
  /** Milliseconds from connecting to the close. */
  elapsedMs: number;
}

/** The status codes of the HTTP/1.x responses at the start of `text` and after each response's end. */
export function statusCodes(text: string): number[] {
  return [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)].map((match) => Number(match[1]));
}

/**
 * Writes `bytes` to `host:port` on a fresh TCP connection (then half-closes it when `halfClose`), and
 * reads until the server closes it or `guardMs` passes. With `drip`, one more byte (`a`) follows every
 * `drip` ms, as from a slowloris client, until the server hangs up.
 * @example
 * const reply = await rawExchange(port, utf8.encode("GET / HTTP/1.1\r\nhost: x\r\n\r\n"), { halfClose: true });
 * reply.statuses; // [200]
 */
export function rawExchange(
  port: number,
  bytes: Uint8Array,
  options: { halfClose?: boolean; guardMs?: number; drip?: number; host?: string } = {},
): Promise<RawReply> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(port, options.host ?? "127.0.0.1");
    const received: Buffer[] = [];
    let closedByServer = false;
    let dripTimer: ReturnType<typeof setInterval> | undefined;
    const guard = setTimeout(() => socket.destroy(), options.guardMs ?? 3_000);
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("end", () => {
      closedByServer = true;
    });
    socket.on("error", () => {
      closedByServer = true;
    });
    socket.on("close", () => {
      clearTimeout(guard);
      clearInterval(dripTimer);
      const text = Buffer.concat(received).toString("latin1");
      resolve({ text, statuses: statusCodes(text), closedByServer, elapsedMs: performance.now() - started });
    });
    socket.on("connect", () => {
      socket.write(bytes);
      if (options.drip !== undefined) {
        // A header value or a body that grows by a byte now and then never completes the request.
        dripTimer = setInterval(() => {
          if (!socket.destroyed) socket.write("a");
        }, options.drip);
      } else if (options.halfClose) socket.end();
    });
  });
}
