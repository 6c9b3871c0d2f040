import type { IncomingMessage } from "node:http";

/** How much of a refused body is read and thrown away before the connection is closed. */
export interface DiscardLimits {
  /** The most bytes read after the refusal. */
  maxBytes: number;
  /** The longest time spent reading, in all. */
  maxMs: number;
  /** The longest wait for the next byte: a client that stopped sending is not waited for. */
  idleMs: number;
}

/**
 * Up to 64 MiB and 5 s, 1 s of silence at most: enough for any client on a working link to finish
 * sending a body somewhat over the 16 MiB limit, little enough that a refused client cannot hold
 * the connection or cost the server much.
 */
export const DISCARD_LIMITS: DiscardLimits = { maxBytes: 64 * 1024 * 1024, maxMs: 5_000, idleMs: 1_000 };

/**
 * Reads the rest of `request`'s body and drops it, resolving when it ended, the client went away,
 * or a limit was reached. Closing a socket with unread bytes makes the kernel answer with a reset,
 * which a client still sending (Node's `fetch`, for one) reports instead of the answer it was sent.
 * @example
 * response.write(body);
 * await discardBody(request, DISCARD_LIMITS);
 * response.end();
 */
export function discardBody(request: IncomingMessage, limits: DiscardLimits): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const finish = () => {
      clearTimeout(overall);
      clearTimeout(idle);
      request.off("data", onData);
      request.off("end", finish);
      request.off("close", finish);
      request.off("error", finish);
      resolve();
    };
    const overall = setTimeout(finish, limits.maxMs);
    let idle = setTimeout(finish, limits.idleMs);
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      clearTimeout(idle);
      if (read > limits.maxBytes) finish();
      else idle = setTimeout(finish, limits.idleMs);
    };
    request.on("data", onData);
    request.on("end", finish);
    request.on("close", finish);
    request.on("error", finish);
  });
}
