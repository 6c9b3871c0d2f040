/**
 * The headers of every event stream the simulator answers with: no caching, and no buffering by a
 * proxy in between, so that each event reaches the reader as it is sent.
 */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};
