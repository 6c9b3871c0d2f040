/**
 * A streaming Server-Sent-Events decoder (bytes → events) following the WHATWG HTML "event stream
 * interpretation" rules. Shared by the client and the simulator.
 */

/**
 * One dispatched event.
 *
 * @example
 * ```ts
 * const event: SseEvent = { event: "text", data: '{"text": "Hi"}' };
 * ```
 */
export interface SseEvent {
  /** The `event:` field, or `"message"` when the event had none (as browsers do). */
  event: string;
  /** The `data:` lines of the event, joined with `"\n"`. */
  data: string;
  /**
   * The `id:` field given in this event's own lines, if any. The spec's sticky "last event ID" (which
   * carries over to later events and to a reconnection) is {@link SseDecoder.lastEventId}.
   */
  id?: string;
  /** The `retry:` field given in this event's own lines, if it was valid (ASCII digits only). */
  retry?: number;
}

/**
 * Options of {@link SseDecoder} and {@link decodeSseStream}.
 *
 * @example
 * ```ts
 * const options: SseDecoderOptions = { onComment: (text) => console.log("comment", text) };
 * ```
 */
export interface SseDecoderOptions {
  /**
   * Called for each comment line (`: ping`), with the text after the colon and one optional space.
   * It runs synchronously inside `push()`, so it sees a chunk's comments before the caller sees the
   * events that `push()` returns for that chunk.
   */
  onComment?: (text: string) => void;
  /**
   * The largest event (its buffered fields plus any unfinished line) the decoder holds in memory before
   * failing with {@link SseDecodeError}. Measured in UTF-16 code units of the decoded text: that equals
   * the byte count for ASCII (JSON is almost all ASCII) and never exceeds the UTF-8 byte count, so
   * nothing under the limit is ever rejected. Default: 16 MiB.
   */
  maxEventBytes?: number;
}

/**
 * The kinds of failure an {@link SseDecodeError} reports.
 *
 * @example
 * ```ts
 * const code: SseDecodeErrorCode = "SSE_EVENT_TOO_LARGE";
 * ```
 */
export type SseDecodeErrorCode = "SSE_EVENT_TOO_LARGE";

/**
 * Thrown by {@link SseDecoder.push} when one event (or one line) outgrows `maxEventBytes`. The decoder
 * is unusable afterwards: further `push()` calls throw the same error until `end()` resets it.
 *
 * @example
 * ```ts
 * try {
 *   decoder.push(chunk);
 * } catch (error) {
 *   if (error instanceof SseDecodeError && error.code === "SSE_EVENT_TOO_LARGE") response.body?.cancel();
 *   throw error;
 * }
 * ```
 */
export class SseDecodeError extends Error {
  override readonly name = "SseDecodeError";
  readonly code: SseDecodeErrorCode;
  /** The `maxEventBytes` limit that was exceeded. */
  readonly limit: number;

  constructor(code: SseDecodeErrorCode, limit: number, message: string) {
    super(message);
    this.code = code;
    this.limit = limit;
  }
}

/** 16 MiB: far beyond any real bot message, small enough that a runaway stream cannot exhaust memory. */
const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COLON = 0x3a;
const BOM = 0xfeff;

/**
 * Incremental SSE decoder: feed it chunks as they arrive and it returns the events they complete.
 *
 * It handles CR, LF and CRLF line endings (also a CRLF split between two chunks), UTF-8 characters
 * split between chunks, a leading byte-order mark, comments, and ignores unknown fields. Per the spec,
 * an event without any `data:` line is not dispatched, and an event not closed by a blank line when the
 * stream ends is discarded (see {@link SseDecoder.hadIncompleteEvent}).
 *
 * @example
 * ```ts
 * const decoder = new SseDecoder({ onComment: (text) => console.debug(text) });
 * socket.on("data", (chunk: Uint8Array) => {
 *   for (const { event, data } of decoder.push(chunk)) handle(event, JSON.parse(data));
 * });
 * await once(socket, "end");
 * decoder.end();
 * if (decoder.hadIncompleteEvent) console.warn("stream cut in the middle of an event");
 * ```
 */
export class SseDecoder {
  readonly #onComment: ((text: string) => void) | undefined;
  readonly #maxEventBytes: number;
  // ignoreBOM keeps a BOM in the output so that one rule strips it, whether the input is bytes or text.
  readonly #utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

  // Stream state, reset by end().
  #atStreamStart = true;
  #lastInputWasBytes = false;
  /** The previous chunk ended with CR: a LF opening the next chunk belongs to the same line ending. */
  #skipLeadingLf = false;
  /** The unfinished last line, kept as pieces so a long line costs one join instead of one copy per chunk. */
  #pending: string[] = [];
  #pendingLength = 0;
  /**
   * Set when push() failed part-way through a chunk: the rest of that chunk is lost, so the stream is
   * too. `thrown` once the caller has seen the error.
   */
  #failure: { error: unknown; thrown: boolean } | undefined;
  #hadIncompleteEvent = false;

  // The event being assembled, reset at each blank line.
  #data = "";
  #hasData = false;
  #eventType = "";
  #eventId: string | undefined;
  #eventRetry: number | undefined;
  #eventStarted = false;

  // Connection-level state that, per spec, outlives single events.
  #idBuffer = "";
  #lastEventId = "";
  #retry: number | undefined;

  /**
   * @param options - See {@link SseDecoderOptions}.
   * @throws RangeError if `maxEventBytes` is not a positive number.
   *
   * @example
   * ```ts
   * const decoder = new SseDecoder({ maxEventBytes: 1024 * 1024 });
   * ```
   */
  constructor(options: SseDecoderOptions = {}) {
    const max = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    if (!(max > 0)) {
      throw new RangeError(`maxEventBytes must be a positive number, got ${max}`);
    }
    this.#maxEventBytes = max;
    this.#onComment = options.onComment;
  }

  /**
   * After {@link SseDecoder.end}: whether the stream stopped in the middle of a line or of an event
   * (fields seen, but no closing blank line). Such an event is discarded, as the spec requires; this
   * flag lets a caller tell a truncated stream from a clean one.
   *
   * @example
   * ```ts
   * decoder.push("data: cut off");
   * decoder.end(); // []
   * decoder.hadIncompleteEvent; // true
   * ```
   */
  get hadIncompleteEvent(): boolean {
    return this.#hadIncompleteEvent;
  }

  /**
   * The spec's "last event ID": the latest `id:` field, committed at each blank line and kept across
   * events (and across `end()`), to be sent back as `Last-Event-ID` when reconnecting. `""` when none.
   *
   * @example
   * ```ts
   * decoder.push("id: 7\ndata: a\n\ndata: b\n\n"); // b has no id of its own...
   * decoder.lastEventId; // ...but the last event ID is still "7"
   * ```
   */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /**
   * The latest valid `retry:` value (the server's requested reconnection delay in ms), if any.
   *
   * @example
   * ```ts
   * decoder.push("retry: 3000\n");
   * decoder.retry; // 3000
   * ```
   */
  get retry(): number | undefined {
    return this.#retry;
  }

  /**
   * Decodes the next chunk of the stream.
   *
   * @param chunk - Raw bytes (decoded as UTF-8, characters may be split between chunks) or text.
   * @returns The events completed by this chunk, in stream order; often empty.
   * @throws SseDecodeError when an event outgrows `maxEventBytes`. An error thrown by `onComment`
   *   propagates. Events completed earlier in the same chunk are returned first and the error is
   *   thrown by the next `push()` or `end()`; after that every `push()` rethrows it until `end()`.
   *
   * @example
   * ```ts
   * const decoder = new SseDecoder();
   * decoder.push("event: text\r\ndata: {}\r"); // []
   * decoder.push("\n\r\n"); // [{ event: "text", data: "{}" }]
   * ```
   */
  push(chunk: Uint8Array | string): SseEvent[] {
    if (this.#failure) {
      this.#failure.thrown = true;
      throw this.#failure.error;
    }
    const events: SseEvent[] = [];
    const text = typeof chunk === "string" ? this.#fromString(chunk) : this.#fromBytes(chunk);
    try {
      this.#feed(text, events);
    } catch (error) {
      // Events completed before the failure are delivered first; the error comes with the next call.
      this.#failure = { error, thrown: events.length === 0 };
      if (events.length > 0) return events;
      throw error;
    }
    return events;
  }

  /**
   * Ends the stream: discards an unfinished event (see {@link SseDecoder.hadIncompleteEvent}) and
   * resets the decoder so it can read a new stream, e.g. after a reconnection. `lastEventId` and
   * `retry` are kept, as they describe the connection rather than one stream.
   *
   * @returns The events completed by the end of the stream: under the spec an unterminated event is
   *   never dispatched, so this is empty; it exists so callers can treat every chunk alike.
   *
   * @example
   * ```ts
   * const decoder = new SseDecoder();
   * decoder.push("data: complete\n\ndata: incomplete\n");
   * decoder.end(); // []
   * decoder.hadIncompleteEvent; // true
   * ```
   */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    // Flushing turns bytes of a cut-off UTF-8 character into U+FFFD, so they count as pending text.
    const tail = this.#utf8.decode();
    const failure = this.#failure;
    if (failure && !failure.thrown) {
      this.#resetStream();
      throw failure.error;
    }
    const failed = failure !== undefined;
    this.#hadIncompleteEvent = failed || this.#pendingLength > 0 || tail !== "" || this.#eventStarted;
    this.#resetStream();
    return events;
  }

  #fromBytes(chunk: Uint8Array): string {
    this.#lastInputWasBytes = true;
    return this.#utf8.decode(chunk, { stream: true });
  }

  #fromString(chunk: string): string {
    if (!this.#lastInputWasBytes) {
      return chunk;
    }
    // Text after bytes: the bytes of a character cut in half can never be completed any more.
    this.#lastInputWasBytes = false;
    return this.#utf8.decode() + chunk;
  }

  #resetStream(): void {
    this.#atStreamStart = true;
    this.#lastInputWasBytes = false;
    this.#skipLeadingLf = false;
    this.#pending.length = 0;
    this.#pendingLength = 0;
    this.#failure = undefined;
    this.#resetEvent();
  }

  #resetEvent(): void {
    this.#data = "";
    this.#hasData = false;
    this.#eventType = "";
    this.#eventId = undefined;
    this.#eventRetry = undefined;
    this.#eventStarted = false;
  }

  /** Splits decoded text into lines; each line is handed over as a range of `text` to avoid copies. */
  #feed(text: string, events: SseEvent[]): void {
    const length = text.length;
    if (length === 0) {
      // A chunk holding only part of a character: nothing decoded yet, so no state may change.
      return;
    }
    let pos = 0;
    if (this.#atStreamStart) {
      this.#atStreamStart = false;
      if (text.charCodeAt(0) === BOM) pos = 1;
    }
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (text.charCodeAt(pos) === LF) pos++;
    }

    // The next LF and the next CR are each searched for only once the last one found lies behind:
    // an LF stream costs one indexOf per line, a CRLF stream two. An empty line (the end of every
    // event) is told by its first character and costs none. -1: none left; -2: not searched yet.
    let nextLf = -2;
    let nextCr = -2;
    while (pos < length) {
      let lineEnd = pos;
      const first = text.charCodeAt(pos);
      if (first !== LF && first !== CR) {
        if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf("\n", pos);
        if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf("\r", pos);
        if (nextLf === -1 && nextCr === -1) break;
        lineEnd = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr;
      }
      let nextLine = lineEnd + 1;
      if (text.charCodeAt(lineEnd) === CR) {
        if (nextLine === length) {
          this.#skipLeadingLf = true;
        } else if (text.charCodeAt(nextLine) === LF) {
          nextLine++;
        }
      }

      if (this.#pendingLength === 0) {
        this.#processLine(text, pos, lineEnd, events);
      } else {
        const line = this.#takePending(text.slice(pos, lineEnd));
        this.#processLine(line, 0, line.length, events);
      }
      pos = nextLine;
    }

    if (pos < length) {
      this.#pending.push(pos === 0 ? text : text.slice(pos));
      this.#pendingLength += length - pos;
      this.#checkSize();
    }
  }

  #takePending(lastPiece: string): string {
    this.#pending.push(lastPiece);
    const line = this.#pending.join("");
    // Emptied, not replaced: a new `[]` holds small integers until its first push, so `#feed`'s
    // optimized code would meet two array maps and be thrown away and rebuilt again and again
    // (docs/benchmarks.md, client).
    this.#pending.length = 0;
    this.#pendingLength = 0;
    return line;
  }

  /** Interprets the line `src[start, end)`; `src[end]` is a line break or the end of `src`. */
  #processLine(src: string, start: number, end: number, events: SseEvent[]): void {
    if (start === end) {
      this.#dispatch(events);
      return;
    }
    if (src.charCodeAt(start) === COLON) {
      if (this.#onComment) this.#onComment(src.slice(valueStart(src, start + 1), end));
      return;
    }
    // A bot response is almost only `event:` and `data:` lines: recognise them in place, without
    // slicing out the line and then its name first.
    if (isDataField(src, start)) {
      this.#eventStarted = true;
      this.#appendData(src.slice(valueStart(src, start + 5), end));
      return;
    }
    if (isEventField(src, start)) {
      this.#eventStarted = true;
      this.#setEventType(eventName(src, valueStart(src, start + 6), end));
      return;
    }
    // The colon search is confined to the line, so lines without one cannot make it scan ahead.
    const line = start === 0 && end === src.length ? src : src.slice(start, end);
    const colon = line.indexOf(":");
    if (colon === -1) {
      this.#applyField(line, "");
    } else {
      this.#applyField(line.slice(0, colon), line.slice(valueStart(line, colon + 1)));
    }
  }

  #applyField(name: string, value: string): void {
    switch (name) {
      case "data":
        this.#eventStarted = true;
        this.#appendData(value);
        return;
      case "event":
        this.#eventStarted = true;
        this.#setEventType(value);
        return;
      case "id":
        this.#eventStarted = true;
        // The spec ignores ids containing NUL: they could not be sent back in a Last-Event-ID header.
        if (value.indexOf("\0") === -1) {
          this.#idBuffer = value;
          this.#eventId = value;
        }
        return;
      case "retry":
        this.#eventStarted = true;
        if (isAsciiDigits(value)) {
          this.#retry = Number(value);
          this.#eventRetry = this.#retry;
        }
        return;
      default:
        // Unknown fields are ignored, so servers can add fields without breaking older clients.
        return;
    }
  }

  #setEventType(value: string): void {
    this.#eventType = value;
    this.#checkSize();
  }

  #appendData(value: string): void {
    if (this.#hasData) {
      this.#data = `${this.#data}\n${value}`;
    } else {
      this.#data = value;
      this.#hasData = true;
    }
    this.#checkSize();
  }

  #dispatch(events: SseEvent[]): void {
    this.#lastEventId = this.#idBuffer;
    if (this.#hasData) {
      const event: SseEvent = {
        event: this.#eventType === "" ? "message" : this.#eventType,
        data: this.#data,
      };
      if (this.#eventId !== undefined) event.id = this.#eventId;
      if (this.#eventRetry !== undefined) event.retry = this.#eventRetry;
      events.push(event);
    }
    this.#resetEvent();
  }

  #checkSize(): void {
    const size = this.#pendingLength + this.#data.length + this.#eventType.length;
    if (size > this.#maxEventBytes) {
      throw new SseDecodeError(
        "SSE_EVENT_TOO_LARGE",
        this.#maxEventBytes,
        `SSE event exceeds maxEventBytes (${this.#maxEventBytes}): the stream is malformed or hostile`,
      );
    }
  }
}

// Nearly every line of a bot's response is `data: …` or `event: text`: these are recognised by char
// code, as a call to startsWith costs more than the rest of the line's handling.
const D = 0x64;
const A = 0x61;
const T = 0x74;
const E = 0x65;
const V = 0x76;
const N = 0x6e;
const X = 0x78;

function isDataField(src: string, start: number): boolean {
  return (
    src.charCodeAt(start + 4) === COLON &&
    src.charCodeAt(start) === D &&
    src.charCodeAt(start + 1) === A &&
    src.charCodeAt(start + 2) === T &&
    src.charCodeAt(start + 3) === A
  );
}

function isEventField(src: string, start: number): boolean {
  return (
    src.charCodeAt(start + 5) === COLON &&
    src.charCodeAt(start) === E &&
    src.charCodeAt(start + 1) === V &&
    src.charCodeAt(start + 2) === E &&
    src.charCodeAt(start + 3) === N &&
    src.charCodeAt(start + 4) === T
  );
}

/**
 * `src[start, end)`; `"text"` as the shared literal: one string less to allocate per event, and
 * comparing it with a literal later is a pointer check.
 */
function eventName(src: string, start: number, end: number): string {
  if (
    end - start === 4 &&
    src.charCodeAt(start) === T &&
    src.charCodeAt(start + 1) === E &&
    src.charCodeAt(start + 2) === X &&
    src.charCodeAt(start + 3) === T
  ) {
    return "text";
  }
  return src.slice(start, end);
}

/** Skips the single optional space that may follow a field's colon. */
function valueStart(src: string, afterColon: number): number {
  return src.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon;
}

function isAsciiDigits(value: string): boolean {
  return /^[0-9]+$/.test(value);
}

/**
 * Decodes an SSE byte stream into events.
 *
 * If the consumer stops early (`break` in a `for await`, or `return()`/`throw()` on the generator) or
 * decoding fails, the source is cancelled, so the underlying connection is released instead of being
 * left to fill its buffers. An unterminated event at the end of the stream is discarded, per spec.
 *
 * @param stream - A `ReadableStream` (e.g. `response.body`) or any async iterable of byte chunks.
 * @param options - See {@link SseDecoderOptions}.
 * @throws SseDecodeError when an event outgrows `maxEventBytes`; errors of the source propagate.
 *
 * @example
 * ```ts
 * const response = await fetch(url, { method: "POST", body, headers });
 * for await (const { event, data } of decodeSseStream(response.body!)) {
 *   if (event === "done") break; // cancels the response body
 *   console.log(event, JSON.parse(data));
 * }
 * ```
 */
export async function* decodeSseStream(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options?: SseDecoderOptions,
): AsyncGenerator<SseEvent> {
  const decoder = new SseDecoder(options);
  const chunks = isReadableStream(stream) ? readChunks(stream) : stream;
  // for await calls the iterator's return() on early exit, which cancels the source.
  for await (const chunk of chunks) {
    for (const event of decoder.push(chunk)) yield event;
  }
  for (const event of decoder.end()) yield event;
}

function isReadableStream(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): stream is ReadableStream<Uint8Array> {
  return typeof (stream as Partial<ReadableStream<Uint8Array>>).getReader === "function";
}

/**
 * Reads a stream through an explicit reader rather than its async iterator, which not every runtime
 * provides, and cancels it unless it was read to the end.
 */
async function* readChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) {
      // The consumer gave up (or decoding failed): tell the producer. Not awaited: the cancel of a
      // tee'd (cloned) body settles only once every branch is cancelled. A cancel that fails (the
      // stream already errored) has nothing left to release, so its error is not worth surfacing.
      reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}
