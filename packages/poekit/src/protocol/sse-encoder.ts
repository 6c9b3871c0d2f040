/**
 * Server-side Server-Sent-Events encoding.
 *
 * Every frame ends with CRLF line endings, the way the Python reference library (fastapi_poe on
 * uvicorn) writes them, so a poekit server is byte-for-byte comparable with recorded traffic.
 */

// One encoder for the module: TextEncoder is stateless, so there is no reason to build one per event.
const utf8 = new TextEncoder();

/**
 * The keep-alive comment a server writes while a bot is silent, so that proxies do not close an idle
 * connection. Decoders ignore it (`SseDecoder` reports it to `onComment` as `"ping"`).
 *
 * @example
 * ```ts
 * const timer = setInterval(() => controller.enqueue(PING_COMMENT), 15_000);
 * ```
 */
export const PING_COMMENT = ": ping\r\n\r\n";

/**
 * The `done` event that ends every Poe bot response; the same bytes as `encodeEvent("done", {})`.
 *
 * @example
 * ```ts
 * controller.enqueue(DONE_EVENT);
 * controller.close();
 * ```
 */
export const DONE_EVENT = "event: done\r\ndata: {}\r\n\r\n";

/**
 * `encodeEvent("text", { text })`, byte for byte, without the object and its JSON: the text event is
 * what nearly every item of a response becomes.
 * @example
 * encodeTextEvent("Hi"); // 'event: text\r\ndata: {"text":"Hi"}\r\n\r\n'
 */
export function encodeTextEvent(text: string): string {
  return `event: text\r\ndata: {"text":${JSON.stringify(text)}}\r\n\r\n`;
}

/**
 * Encodes one event as an SSE frame: an `event:` line, a single `data:` line holding the JSON of `data`,
 * and the blank line that makes a decoder dispatch it.
 *
 * The JSON always fits on one line: `JSON.stringify` without indentation escapes every control
 * character, so it never writes CR or LF.
 *
 * @param event - The event name. Must be non-empty (an empty name would be read back as `"message"`)
 *   and must not contain CR or LF (they would end the line early and corrupt the stream).
 * @param data - Any JSON-serialisable value.
 * @returns The frame, ready to be written to the response.
 * @throws TypeError if the name is empty or contains CR/LF, or if `data` has no JSON form
 *   (`undefined`, a function, a symbol). Errors from `JSON.stringify` itself (a cycle, a BigInt) propagate.
 *
 * @example
 * ```ts
 * encodeEvent("text", { text: "Hello" });
 * // 'event: text\r\ndata: {"text":"Hello"}\r\n\r\n'
 * ```
 */
export function encodeEvent(event: string, data: unknown): string {
  if (event === "") {
    throw new TypeError("SSE event name must not be empty");
  }
  assertSingleLine(event, "SSE event name");
  const json = JSON.stringify(data);
  // JSON.stringify returns undefined (not a string) for values that have no JSON form.
  if (json === undefined) {
    throw new TypeError(`SSE event "${event}": data has no JSON representation (got ${typeof data})`);
  }
  return `event: ${event}\r\ndata: ${json}\r\n\r\n`;
}

/**
 * Encodes a comment frame. Decoders never dispatch comments; they are useful as keep-alives and as
 * out-of-band notes when debugging a stream.
 *
 * @param text - The comment text. Must not contain CR or LF.
 * @returns `": <text>\r\n\r\n"`.
 * @throws TypeError if `text` contains CR or LF.
 *
 * @example
 * ```ts
 * encodeComment("ping - 2026-11-22 11:47:30");
 * // ': ping - 2026-11-22 11:47:30\r\n\r\n'
 * ```
 */
export function encodeComment(text: string): string {
  assertSingleLine(text, "SSE comment");
  return `: ${text}\r\n\r\n`;
}

/**
 * {@link encodeEvent}, as UTF-8 bytes, for writers that take a `Uint8Array` (a `ReadableStream` of
 * bytes, `res.write` with a binary body).
 *
 * @throws The same errors as {@link encodeEvent}.
 *
 * @example
 * ```ts
 * controller.enqueue(encodeEventBytes("text", { text: "héllo" }));
 * ```
 */
export function encodeEventBytes(event: string, data: unknown): Uint8Array {
  return utf8.encode(encodeEvent(event, data));
}

function assertSingleLine(value: string, what: string): void {
  // Runs once per event on the server's hot path, so it is two plain scans and no allocation.
  if (value.indexOf("\n") !== -1 || value.indexOf("\r") !== -1) {
    throw new TypeError(`${what} must not contain CR or LF: ${JSON.stringify(value)}`);
  }
}
