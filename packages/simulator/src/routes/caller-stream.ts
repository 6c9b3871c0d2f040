import { ServerResponse } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import { encodeEventBytes } from "poekit/protocol";
import { MAX_QUEUED_BYTES } from "./api-events.js";
import { SSE_HEADERS } from "./sse-headers.js";

/**
 * How long the headers of an answer wait for its first event, so that both leave in one write; a bot
 * slow to start does not keep its caller from seeing the answer begin for longer than this.
 */
export const HEADERS_WAIT_MS = 50;

/** The event stream a route sends to its caller; writes after it ended (or the caller left) are dropped. */
export interface CallerStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** What the route returns. */
  readonly response: Response;
}

/**
 * Opens the event stream of a route's answer. Served by `@hono/node-server`, it writes to Node's
 * response itself: the headers go out with the first event (or after {@link HEADERS_WAIT_MS}) and the
 * events of one turn of the event loop share a write. Elsewhere (the simulator's fetch handler called
 * in-process) it is a web `Response` with a stream. `onCancel` runs when the caller goes away before
 * the stream ended, or stops reading for so long that {@link MAX_QUEUED_BYTES} pile up.
 *
 * @example
 * const stream = openCallerStream(c, () => abort.abort());
 * stream.send("text", { text: "Hello" });
 * stream.send("done", {});
 * stream.close();
 * return stream.response;
 */
export function openCallerStream(c: Context, onCancel: () => void): CallerStream {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  return outgoing instanceof ServerResponse
    ? new NodeCallerStream(outgoing, onCancel)
    : new WebCallerStream(onCancel);
}

class NodeCallerStream implements CallerStream {
  readonly response = RESPONSE_ALREADY_SENT;
  readonly #outgoing: ServerResponse;
  readonly #onCancel: () => void;
  readonly #headersTimer: ReturnType<typeof setTimeout>;
  #open = true;
  #headed = false;

  constructor(outgoing: ServerResponse, onCancel: () => void) {
    this.#outgoing = outgoing;
    this.#onCancel = onCancel;
    this.#headersTimer = setTimeout(() => {
      if (!this.#open || this.#headed) return;
      this.#writeHead();
      outgoing.flushHeaders();
    }, HEADERS_WAIT_MS);
    // "close" also follows a response that ended; only one that had not is the caller leaving.
    outgoing.once("close", () => {
      if (this.#end()) this.#onCancel();
    });
  }

  send(event: string, data: unknown): void {
    if (!this.#open) return;
    if (this.#outgoing.writableLength > MAX_QUEUED_BYTES) {
      this.#end();
      this.#outgoing.destroy(new Error("The calling bot stopped reading its answer."));
      this.#onCancel();
      return;
    }
    this.#writeHead();
    // Node corks the socket until the next tick, so the headers and the events of this turn share a write.
    this.#outgoing.write(encodeEventBytes(event, data));
  }

  close(): void {
    if (!this.#end()) return;
    this.#writeHead();
    this.#outgoing.end();
  }

  /** Marks the stream ended; false when it already was. */
  #end(): boolean {
    if (!this.#open) return false;
    this.#open = false;
    clearTimeout(this.#headersTimer);
    return true;
  }

  #writeHead(): void {
    if (this.#headed) return;
    this.#headed = true;
    this.#outgoing.writeHead(200, SSE_HEADERS);
  }
}

class WebCallerStream implements CallerStream {
  readonly response: Response;
  readonly #onCancel: () => void;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #open = true;

  constructor(onCancel: () => void) {
    this.#onCancel = onCancel;
    const readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        cancel: () => {
          this.#open = false;
          onCancel();
        },
      },
      { highWaterMark: 1, size: (chunk) => chunk.byteLength },
    );
    this.response = new Response(readable, { status: 200, headers: SSE_HEADERS });
  }

  send(event: string, data: unknown): void {
    if (!this.#open) return;
    // A caller that stopped reading must not make the simulator hold a whole answer for it.
    if ((this.#controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) {
      this.#open = false;
      this.#controller.error(new Error("The calling bot stopped reading its answer."));
      this.#onCancel();
      return;
    }
    this.#controller.enqueue(encodeEventBytes(event, data));
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#controller.close();
  }
}
