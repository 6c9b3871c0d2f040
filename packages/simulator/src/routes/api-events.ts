import { Hono } from "hono";
import { encodeComment, encodeEvent, PING_INTERVAL_MS } from "poekit/protocol";
import type { SimulatorContext } from "../context.js";
import type { BusEvent } from "../model.js";
import { SSE_HEADERS } from "./sse-headers.js";

/**
 * Bytes a page may fall behind by before its stream is closed (it resyncs when it reconnects). Counted
 * in bytes, not events: one update can carry a whole long answer or a large raw event.
 */
export const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/** `/api/events`: every update, as Server-Sent Events named after the update's `type`. */
export function apiEventRoutes(context: SimulatorContext): Hono {
  const app = new Hono();
  app.get("/", () => {
    const encoder = new TextEncoder();
    let unsubscribe = () => {};
    let ping: ReturnType<typeof setInterval> | undefined;
    let closeStream = () => {};
    const stop = () => {
      unsubscribe();
      clearInterval(ping);
      context.tasks.signal.removeEventListener("abort", closeStream);
    };
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          let open = true;
          closeStream = () => {
            stop();
            if (open) controller.close();
            open = false;
          };
          const send = (chunk: string) => {
            if (!open) return;
            // A page that stopped reading must not make the simulator hold every update for it.
            if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) closeStream();
            else controller.enqueue(encoder.encode(chunk));
          };
          send(": connected\n\n");
          unsubscribe = context.bus.subscribe((event: BusEvent) => send(encodeEvent(event.type, event)));
          ping = setInterval(() => send(encodeComment("ping")), PING_INTERVAL_MS);
          ping.unref?.();
          context.tasks.signal.addEventListener("abort", closeStream, { once: true });
        },
        cancel: () => {
          stop();
          closeStream = () => {};
        },
      },
      { highWaterMark: 1, size: (chunk) => chunk.byteLength },
    );
    return new Response(stream, { headers: SSE_HEADERS });
  });
  return app;
}
