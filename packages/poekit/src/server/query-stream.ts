import { InsufficientFundError } from "../errors.js";
import { DONE_EVENT, encodeEvent, PING_COMMENT } from "../protocol/sse-encoder.js";
import { mapResponseItem } from "./event-mapping.js";
import { LimitsMonitor, type ResponseLimits } from "./limits-monitor.js";
import type { Logger } from "./logger.js";
import type { OpenSlot } from "./open-streams.js";

const encoder = new TextEncoder();

/** A chunk stops growing at this size, so a bot with much ready output still streams in pieces. */
const MAX_CHUNK_CHARS = 16 * 1024;
/**
 * Microtask turns to wait for the bot's next item before writing what is ready: a plain async
 * generator's next item settles in 2 turns, one behind `yield*` in 3, one relayed by `for await` in 4
 * (6 for two relays).
 */
const PATIENCE_TURNS = 8;
/**
 * The turns waited after the bot's last item was not ready: a bot that waits between items (a model,
 * a timer) would make every wait a loss, and the promises of those turns, at thousands of streams,
 * were a large share of the server's garbage.
 */
const BRIEF_PATIENCE_TURNS = 2;

/** The text Poe shows when a bot fails without saying why; details go to `raw_response` and the log. */
export const UNEXPECTED_ERROR_TEXT = "The bot encountered an unexpected error.";

export interface QueryStreamOptions {
  /** Starts the bot; called on the first pull, so nothing runs before the response is returned. */
  start: () => AsyncIterable<unknown> | Iterable<unknown>;
  /** Aborted when the response is cut short: disconnect, strict limits, shutdown. */
  abort: { abort(reason: unknown): void };
  /** File events queued for this message (by `postMessageAttachment`), to write before the next item. */
  takeQueued: () => string;
  pingIntervalMs: number;
  limits: ResponseLimits;
  strictLimits: boolean;
  logger: Logger;
  /** Names the bot and message in log lines (made only when something is logged). */
  label: () => string;
  /** Called once when the response has ended, however it ended. */
  onEnd: (stream: QueryStream) => void;
}

/**
 * Where a streaming response's output goes: a web stream's controller, or a node:http response.
 * @example
 * stream.attach({ write: (sse) => res.write(sse), close: () => res.end(), wantsMore: () => !res.writableNeedDrain });
 */
export interface StreamSink {
  write(sse: string): void;
  close(): void;
  /** Whether the reader has taken what was written, so a keep-alive ping would not pile up. */
  wantsMore(): boolean;
}

/**
 * One query response: pulls the bot's items as the client reads (so a slow reader slows the bot
 * instead of filling memory), writes them as SSE, keeps a silent stream alive with comment pings,
 * turns a failure into an `error` event, and always ends with `done`.
 *
 * Use: `start()`; when it says the response is not complete, `attach` a sink (or take
 * `toReadableStream`) and call `pull` whenever the reader wants more, until `ended`.
 */
export class QueryStream implements OpenSlot {
  /** Its place among the app's open streams (see OpenStreams). */
  openIndex = -1;
  private sink?: StreamSink;
  /** Output written before a sink is attached (see `start`). */
  private buffered = "";
  private iterator?: AsyncIterator<unknown> | Iterator<unknown>;
  /** The bot's next step, asked for but not ready when the last chunk was written. */
  private pending?: Promise<IteratorResult<unknown>> | IteratorResult<unknown>;
  private isEnded = false;
  private wroteSinceTick = true;
  private patience = PATIENCE_TURNS;
  private timer?: ReturnType<typeof setInterval>;
  private readonly monitor: LimitsMonitor;

  constructor(private readonly options: QueryStreamOptions) {
    this.monitor = new LimitsMonitor(options.limits);
  }

  /** Whether the response has ended (written `done`, or been cancelled). */
  get ended(): boolean {
    return this.isEnded;
  }

  /**
   * Starts the bot and takes whatever it has ready at once, spending only microtask turns, so the
   * headers can leave at once. `complete` says the bot has already finished: `text` is then the
   * whole response, sent with no stream to set up; otherwise it is the start of the stream.
   */
  async start(): Promise<{ complete: boolean; text: string }> {
    try {
      this.iterator = iteratorOf(this.options.start());
      this.pending = this.iterator.next();
    } catch (error) {
      this.finish(this.errorEvent(error));
    }
    if (!this.isEnded && (await settlesSoon(this.pending, PATIENCE_TURNS))) await this.pull();
    const text = this.buffered;
    this.buffered = "";
    return { complete: this.isEnded, text };
  }

  /** Sends the rest of the response to `sink`, and starts the keep-alive pings. */
  attach(sink: StreamSink): void {
    this.sink = sink;
    // What was written in between (an `error` from a shutdown) goes first.
    if (this.buffered !== "") sink.write(this.buffered);
    this.buffered = "";
    if (this.isEnded) {
      sink.close();
      return;
    }
    this.timer = setInterval(() => this.tick(), this.options.pingIntervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** The rest of the response as a web stream, `initial` (from `start`) first. */
  toReadableStream(initial: string): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          if (initial !== "") controller.enqueue(encoder.encode(initial));
          this.attach({
            write: (sse) => controller.enqueue(encoder.encode(sse)),
            close: () => controller.close(),
            wantsMore: () => (controller.desiredSize ?? 0) > 0,
          });
        },
        pull: () => this.pull(),
        cancel: () => this.cancel("the client disconnected"),
      },
      { highWaterMark: 1 },
    );
  }

  /** Ends the response now with an `error` event and `done`, and stops the bot (server shutdown). */
  endWithError(text: string, allowRetry: boolean): void {
    if (this.isEnded) return;
    this.finishAndStop(encodeEvent("error", { allow_retry: allowRetry, text }));
  }

  /**
   * Writes the bot's next items: all it has ready, or the next one when none is. Call it when the
   * reader wants more; it resolves once something was written or the response ended.
   */
  async pull(): Promise<void> {
    if (this.isEnded) return;
    let sse = "";
    try {
      const iterator = this.iterator as AsyncIterator<unknown> | Iterator<unknown>;
      let next = this.pending ?? iterator.next();
      this.pending = undefined;
      // Items the bot has ready at once go out as one chunk (one socket write); the first item that
      // is not ready ends the chunk, so nothing waits on a slow bot.
      for (;;) {
        const step = await next;
        if (this.isEnded) return;
        if (step.done) {
          this.finish(sse + this.options.takeQueued());
          return;
        }
        const item = mapResponseItem(step.value);
        const piece = this.options.takeQueued() + item.sse;
        if (item.done) {
          this.finishAndStop(sse + piece);
          return;
        }
        const broken = this.monitor.add(item.events, item.textChars, item.replacesText);
        if (broken !== undefined && this.overLimit(broken, sse)) return;
        sse += piece;
        if (sse.length >= MAX_CHUNK_CHARS) break;
        next = iterator.next();
        const ready = await settlesSoon(next, this.patience);
        this.patience = ready ? PATIENCE_TURNS : BRIEF_PATIENCE_TURNS;
        if (!ready) {
          this.pending = next;
          break;
        }
      }
      this.write(sse);
    } catch (error) {
      if (this.isEnded) return;
      this.finish(sse + this.options.takeQueued() + this.errorEvent(error));
    }
  }

  private errorEvent(error: unknown): string {
    if (error instanceof InsufficientFundError) {
      return encodeEvent("error", { allow_retry: true, text: "", error_type: "insufficient_fund" });
    }
    this.options.logger.error(`${this.options.label()} failed`, error);
    return encodeEvent("error", {
      allow_retry: false,
      text: UNEXPECTED_ERROR_TEXT,
      raw_response: describeError(error),
    });
  }

  /** Reports a broken limit; in strict mode ends the response after `sse`. Returns whether it ended. */
  private overLimit(problem: string, sse: string): boolean {
    if (!this.options.strictLimits) {
      this.options.logger.warn(`${this.options.label()}: ${problem}. Poe may cut the response short.`);
      return false;
    }
    this.options.logger.warn(`${this.options.label()}: ${problem}; ending the response (strictLimits).`);
    this.finishAndStop(
      sse + encodeEvent("error", { allow_retry: false, text: `The response was stopped: ${problem}.` }),
    );
    return true;
  }

  private tick(): void {
    if (this.isEnded) return;
    const broken = this.monitor.checkDuration();
    if (broken !== undefined && this.overLimit(broken, "")) return;
    // A comment only when nothing else was written since the last tick and the reader keeps up.
    if (!this.wroteSinceTick && this.sink?.wantsMore()) this.sink.write(PING_COMMENT);
    this.wroteSinceTick = false;
  }

  private write(sse: string): void {
    this.wroteSinceTick = true;
    if (this.sink) this.sink.write(sse);
    else this.buffered += sse;
  }

  private finish(sse: string): void {
    this.write(sse + DONE_EVENT);
    this.sink?.close();
    this.cleanup();
  }

  /** Ends the response while the bot may still have more to say, and stops the bot. */
  private finishAndStop(sse: string): void {
    this.finish(sse);
    this.stopBot("it was ended before the bot finished");
  }

  /** Stops the bot without writing anything more (the client is gone). */
  cancel(reason: string): void {
    if (this.isEnded) return;
    this.cleanup();
    this.stopBot(reason);
  }

  private stopBot(reason: string): void {
    this.options.abort.abort(new Error(`The response ended early: ${reason}.`));
    const iterator = this.iterator;
    if (iterator?.return) {
      // On a running async generator this waits for its current step; its `finally` runs then.
      Promise.resolve()
        .then(() => iterator.return?.())
        .catch((error: unknown) =>
          this.options.logger.error(`${this.options.label()}: stopping the bot failed`, error),
        );
    }
  }

  private cleanup(): void {
    this.isEnded = true;
    clearInterval(this.timer);
    this.options.onEnd(this);
  }
}

/** Whether `step` settles within a few microtask turns (an item the bot yields without waiting). */
async function settlesSoon(step: Promise<unknown> | unknown, turns: number): Promise<boolean> {
  if (!(step instanceof Promise)) return true;
  let settled = false;
  const mark = () => {
    settled = true;
  };
  step.then(mark, mark);
  for (let turn = 0; turn < turns && !settled; turn++) await undefined;
  return settled;
}

function iteratorOf(
  items: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncIterator<unknown> | Iterator<unknown> {
  if (items != null && typeof (items as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    return (items as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  }
  if (
    items != null &&
    typeof (items as Iterable<unknown>)[Symbol.iterator] === "function" &&
    typeof items !== "string"
  ) {
    return (items as Iterable<unknown>)[Symbol.iterator]();
  }
  throw new TypeError(
    "getResponse must return an async iterable (write it as `async *getResponse(request)`).",
  );
}

/** `Name: message` for Poe's `raw_response`; never the stack. */
function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `Thrown value: ${String(error)}`;
}
