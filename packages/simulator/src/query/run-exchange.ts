import { offersTools, SseDecodeError, SseDecoder } from "poekit/protocol";
import type { ExchangeTimings, Violation } from "../model.js";
import { readBodySnippet } from "./body-snippet.js";
import { type ExchangeLimits, resolveExchangeLimits } from "./exchange-limits.js";
import type { ExchangeObserver } from "./exchange-observer.js";
import { ResponseGrader } from "./response-grader.js";
import { botRequestHeaders, type ExchangeTarget, fetchFor } from "./target.js";
import { describeFailure, violationMessages } from "./violation-messages.js";

export type { ExchangeLimits } from "./exchange-limits.js";
export type { ExchangeObserver, ExchangeRawEvent, ResponseInfo } from "./exchange-observer.js";
export type { ExchangeTarget, FetchLike } from "./target.js";

/** Options of {@link runExchange}. */
export interface RunExchangeOptions {
  target: ExchangeTarget;
  /** The request JSON object, sent as it is. */
  body: unknown;
  observer?: ExchangeObserver;
  /** Ends the exchange early; the outcome then says `aborted`, and no violation is recorded for it. */
  signal?: AbortSignal;
  /** Poe's limits by default; tests lower them. */
  limits?: Partial<ExchangeLimits>;
  /** The clock, in milliseconds; default `performance.now()`. */
  now?: () => number;
}

/** How one exchange ended. */
export interface ExchangeOutcome {
  /** The response's status, or null when no response arrived. */
  httpStatus: number | null;
  contentType: string | null;
  timings: ExchangeTimings;
  violations: Violation[];
  /** Events of the response up to `done`; keep-alives and anything after `done` excluded. */
  eventCount: number;
  /** Characters of the answer's text as it stands at the end. */
  textLength: number;
  /**
   * The answer has content as Poe asks: text, a replacement, an error, or tool-call chunks when the
   * request offered tools.
   */
  hasContent: boolean;
  /** `done` arrived and no violation cut the response short. */
  completed: boolean;
  /** The caller's signal ended the exchange. */
  aborted: boolean;
}

type StopReason = "aborted" | "timeout" | "finished";

/**
 * Sends one request to a bot as Poe does and grades the answer against the protocol while it streams:
 * status and content type, Poe's time limits, the events and their data, and Poe's size limits.
 * Resolves once the exchange is over, whatever the bot did; it rejects only for caller bugs (a body
 * that is not JSON, an invalid limit, an observer that throws).
 * @example
 * const outcome = await runExchange({ target, body: queryRequest, observer: { onEvent: (e) => show(e) } });
 * if (!outcome.completed) markFailed(outcome.violations);
 */
export async function runExchange(options: RunExchangeOptions): Promise<ExchangeOutcome> {
  const limits = resolveExchangeLimits(options.limits);
  const payload = JSON.stringify(options.body);
  if (payload === undefined) throw new TypeError("The exchange body must be a JSON value.");
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const toolsOffered = offersTools(options.body);
  const grader = new ResponseGrader(limits, options.observer ?? {}, () => now() - startedAt, {
    toolsOffered,
  });
  const run = new ExchangeRun(options.target, payload, limits, grader);
  const onCallerAbort = () => run.stop("aborted");
  if (options.signal?.aborted) run.stop("aborted");
  else {
    options.signal?.addEventListener("abort", onCallerAbort, { once: true });
    try {
      await run.run();
    } finally {
      options.signal?.removeEventListener("abort", onCallerAbort);
      run.release();
    }
  }
  return {
    httpStatus: run.httpStatus,
    contentType: run.contentType,
    timings: { ...grader.timings },
    violations: [...grader.violations],
    eventCount: grader.eventCount,
    textLength: grader.textLength,
    hasContent: grader.hasContent,
    completed: grader.doneReceived && !grader.fatal,
    aborted: run.stopReason === "aborted",
  };
}

/** The transport of one exchange: the request, the timers, and reading bytes into events. */
class ExchangeRun {
  httpStatus: number | null = null;
  contentType: string | null = null;
  stopReason: StopReason | null = null;
  readonly #target: ExchangeTarget;
  readonly #payload: string;
  readonly #limits: ExchangeLimits;
  readonly #grader: ResponseGrader;
  readonly #controller = new AbortController();
  readonly #timers: Array<ReturnType<typeof setTimeout>> = [];
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #bytesAfterDone = 0;
  #graceStarted = false;

  constructor(target: ExchangeTarget, payload: string, limits: ExchangeLimits, grader: ResponseGrader) {
    this.#target = target;
    this.#payload = payload;
    this.#limits = limits;
    this.#grader = grader;
  }

  /** Ends the exchange: aborts the request and cancels the body, which also ends a pending read. */
  stop(reason: StopReason): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    this.#controller.abort();
    this.#reader?.cancel().catch(() => undefined);
  }

  /** Frees everything the exchange holds, however it ended. */
  release(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    // Reading may have stopped early (a fatal violation): the bot must learn that nobody listens.
    this.#reader?.cancel().catch(() => undefined);
    if (!this.#controller.signal.aborted) this.#controller.abort();
  }

  async run(): Promise<void> {
    const grader = this.#grader;
    this.#after(this.#limits.firstByteMs, () => {
      if (this.httpStatus !== null) return;
      grader.fail("first-byte-timeout", violationMessages.firstByteTimeout(this.#limits.firstByteMs));
      this.stop("timeout");
    });
    this.#after(this.#limits.totalMs, () => {
      // After `done` only the short look for trailing events is left, and that has its own bound.
      if (grader.doneReceived) {
        this.stop("finished");
        return;
      }
      grader.fail("total-timeout", violationMessages.totalTimeout(this.#limits.totalMs));
      this.stop("timeout");
    });
    const response = await this.#send();
    if (!response) return;
    this.httpStatus = response.status;
    this.contentType = response.headers.get("content-type");
    grader.responseStarted({
      httpStatus: response.status,
      contentType: this.contentType,
      firstByteMs: grader.elapsedMs(),
    });
    if (response.status !== 200) {
      const body = await this.#snippet(response);
      grader.fail("http-status", violationMessages.httpStatus(response.status, body));
      return;
    }
    if (!isEventStream(this.contentType)) {
      const body = await this.#snippet(response);
      grader.fail("content-type", violationMessages.contentType(this.contentType, body));
      return;
    }
    if (!response.body) {
      grader.streamEnded();
      return;
    }
    await this.#read(response.body.getReader());
  }

  /** The response, or null when there is none (the request failed, or the exchange was stopped). */
  async #send(): Promise<Response | null> {
    const fetchImpl = fetchFor(this.#target);
    // A fetch function that throws at once (an in-process bot, say) is a failed request like any other.
    const request = Promise.resolve().then(() =>
      fetchImpl(this.#target.url, {
        method: "POST",
        headers: botRequestHeaders(this.#target, "text/event-stream"),
        body: this.#payload,
        signal: this.#controller.signal,
      }),
    );
    // Not every fetch honours its signal (in-process ones may not), so stopping must not wait for it.
    const stopped = new Promise<null>((resolve) => {
      this.#controller.signal.addEventListener("abort", () => resolve(null), { once: true });
    });
    let response: Response | null;
    try {
      response = await Promise.race([request, stopped]);
    } catch (error) {
      if (this.stopReason === null) {
        this.#grader.fail(
          "connection-failed",
          violationMessages.couldNotConnect(this.#target.url, describeFailure(error)),
        );
      }
      return null;
    }
    if (response === null || this.stopReason !== null) {
      // A response that turns up after all is not wanted; its body must not hold the connection.
      request.then((late) => late.body?.cancel().catch(() => undefined)).catch(() => undefined);
      return null;
    }
    return response;
  }

  async #snippet(response: Response): Promise<string> {
    if (!response.body) return "";
    this.#reader = response.body.getReader();
    return readBodySnippet(this.#reader);
  }

  /** Reads the event stream until it ends, a violation ends it, or the exchange is stopped. */
  async #read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    this.#reader = reader;
    if (this.stopReason !== null) return;
    const grader = this.#grader;
    const decoder = new SseDecoder({
      maxEventBytes: this.#limits.maxEventBytes,
      onComment: (text) => grader.keepAlive(":", text),
    });
    // Decoded here rather than by SseDecoder so that text can be fed line by line (see #feed); the BOM
    // is kept for SseDecoder to strip, as it would from bytes.
    const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
    while (true) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        // After `done` the response is whole; how the connection ends no longer matters.
        if (this.stopReason === null && !grader.doneReceived) {
          grader.fail("connection-failed", violationMessages.connectionBroke(describeFailure(error)));
        }
        return;
      }
      if (this.stopReason !== null) return;
      if (chunk.done) {
        this.#ended(decoder, utf8.decode());
        return;
      }
      if (grader.doneReceived) this.#bytesAfterDone += chunk.value.byteLength;
      this.#feed(decoder, utf8.decode(chunk.value, { stream: true }));
      if (grader.fatal || grader.sawAfterDone) return;
      if (grader.doneReceived) {
        // Poe closes at `done`; reading on a little only shows whether the bot would have sent more.
        if (this.#bytesAfterDone > this.#limits.afterDoneMaxBytes) return;
        if (!this.#graceStarted) {
          this.#graceStarted = true;
          this.#after(this.#limits.afterDoneGraceMs, () => this.stop("finished"));
        }
      }
    }
  }

  /**
   * Hands decoded text to the decoder and its events to the grader. SseDecoder reports comments
   * while `push()` runs and returns the chunk's events afterwards, so a chunk holding a comment is
   * pushed line by line to keep comments and events in their order on the wire.
   */
  #feed(decoder: SseDecoder, text: string): void {
    const grader = this.#grader;
    try {
      for (const piece of COMMENT_LINE.test(text) ? splitLines(text) : [text]) {
        for (const event of decoder.push(piece)) {
          grader.event(event);
          if (grader.fatal || grader.sawAfterDone) return;
        }
      }
      // push() returns the events completed before an oversize one and throws on the next call.
      decoder.push("");
    } catch (error) {
      if (!(error instanceof SseDecodeError)) throw error;
      this.#tooLarge();
    }
  }

  /** The body ended: what is left in the decoder tells a clean end from a cut one. */
  #ended(decoder: SseDecoder, tail: string): void {
    const grader = this.#grader;
    if (tail !== "") this.#feed(decoder, tail);
    if (grader.fatal || grader.sawAfterDone) return;
    try {
      decoder.end();
    } catch (error) {
      if (!(error instanceof SseDecodeError)) throw error;
      this.#tooLarge();
      return;
    }
    if (grader.doneReceived) {
      if (decoder.hadIncompleteEvent) grader.bytesAfterDone();
    } else if (decoder.hadIncompleteEvent) {
      grader.fail("connection-failed", violationMessages.closedMidEvent());
    } else {
      grader.streamEnded();
    }
  }

  #tooLarge(): void {
    if (this.#grader.doneReceived) this.#grader.bytesAfterDone();
    else this.#grader.fail("event-too-large", violationMessages.eventTooLarge(this.#limits.maxEventBytes));
  }

  #after(ms: number, action: () => void): void {
    this.#timers.push(setTimeout(action, ms));
  }
}

/** A line starting with a colon somewhere in the text (or a colon opening it, maybe mid-line: harmless). */
const COMMENT_LINE = /(?:^|[\r\n]):/;
const LINES = /[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g;

/** The text in pieces of one line each, line ends kept. */
function splitLines(text: string): string[] {
  return text.match(LINES) ?? [];
}

/** Whether a Content-Type header names an event stream (parameters such as charset allowed). */
function isEventStream(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "text/event-stream";
}
