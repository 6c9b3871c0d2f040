import { InsufficientFundError } from "../errors.js";
import { describeEventViolation, type EventViolation } from "../protocol/event-rules.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { DONE_EVENT, encodeEvent, PING_COMMENT } from "../protocol/sse-encoder.js";
import { mapResponseItem } from "./event-mapping.js";
import type { LazyAbort } from "./lazy-abort.js";
import { LimitsMonitor, type ResponseLimits } from "./limits-monitor.js";
import type { Logger } from "./logger.js";
import { type MessageFiles, messageFilesOf } from "./message-files.js";
import type { OpenSlot } from "./open-streams.js";
import type { PoeBot } from "./poe-bot.js";
import type { RequestContext } from "./request-context.js";

const encoder = new TextEncoder();
const RESOLVED = Promise.resolve();

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

type Step = IteratorResult<unknown>;

/**
 * What an app gives every stream it serves. Shared by all of them: per request, a stream makes no
 * options object and no closures (they were a measurable share of a small query's garbage).
 */
export interface StreamHost {
  limits: ResponseLimits;
  strictLimits: boolean;
  logger: Logger;
  /** A sink was attached: from then on the app's keep-alive timer calls the stream's `tick`. */
  onAttach(): void;
  /** The response has ended, however it ended; called once. */
  onEnd(stream: QueryStream): void;
}

/**
 * Where a streaming response's output goes: a web stream's controller, or a node:http response.
 * @example
 * stream.attach({ write: (sse) => res.write(sse), close: () => res.end(), wantsMore: () => !res.writableNeedDrain, fail: () => res.destroy() });
 */
export interface StreamSink {
  write(sse: string): void;
  close(): void;
  /** Whether the reader has taken what was written, so more (or a keep-alive ping) would not pile up. */
  wantsMore(): boolean;
  /** Writing threw: nothing more can be sent, so the response is cut off. */
  fail(error: unknown): void;
}

/**
 * One query response: pulls the bot's items as the client reads (so a slow reader slows the bot
 * instead of filling memory), writes them as SSE, keeps a silent stream alive with comment pings,
 * turns a failure into an `error` event, and always ends with `done`.
 *
 * Use: `start()`; when it says the response is not complete, `attach` a sink, then either call
 * `resume` (and again whenever the sink drains) or take `toReadableStream`, whose reads `pull`.
 *
 * It is driven by callbacks rather than an async loop: with thousands of bots waiting between items,
 * every promise and frame held across a wait was promoted to the old generation and collected there,
 * which was most of the server's memory peak. While a bot waits, a stream holds only the bot's own
 * promise and one reaction to it.
 */
export class QueryStream implements OpenSlot {
  /** Its place among the app's open streams (see OpenStreams). */
  openIndex = -1;
  private sink?: StreamSink;
  /** Output written before a sink is attached (see `start`). */
  private buffered = "";
  private iterator?: AsyncIterator<unknown> | Iterator<unknown>;
  /** Whether the bot's next step has been asked for and has not come yet. */
  private waiting = false;
  /** A step (or failure) that came while the reader wanted nothing, taken when it does. */
  private held?: { step?: Step; error?: unknown; failed: boolean };
  /** Items taken from the bot and not yet written: they go out together, in one write. */
  private chunk = "";
  /** Whether the reader wants output: a `pull` waits, or `resume` was called and the sink takes more. */
  private wanted = false;
  /** `resume` mode (node:http): after each write, go on while the sink takes more. */
  private continuous = false;
  /** Whether the next item is being given a few microtask turns before the chunk is written. */
  private windowOpen = false;
  /** Whether a turn is queued; one at a time, with no closure per wait. */
  private turning = false;
  private turnsLeft = 0;
  private patience = PATIENCE_TURNS;
  /** Resolves the waiting `start` or `pull`. */
  private wake?: () => void;
  private isEnded = false;
  /** A raw event that breaks a rule was logged; once per response is enough to tell the author. */
  private warnedEvent = false;
  private wroteSinceTick = true;
  private readonly monitor: LimitsMonitor;
  /** The bot's per-message files, looked up once per response. */
  private readonly files: MessageFiles;
  private readonly onStep = (step: Step) => this.arrive(step, undefined, false);
  private readonly onFailure = (error: unknown) => this.arrive(undefined, error, true);
  private readonly onTurn = () => this.turn();

  /**
   * The response of `bot` to `query`; `abort` is aborted when it is cut short (disconnect, strict
   * limits, shutdown). Nothing runs before `start`.
   */
  constructor(
    private readonly host: StreamHost,
    private readonly bot: PoeBot,
    private readonly query: QueryRequest,
    private readonly context: RequestContext,
    private readonly abort: LazyAbort,
  ) {
    this.monitor = new LimitsMonitor(host.limits);
    this.files = messageFilesOf(bot);
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
  start(): Promise<{ complete: boolean; text: string }> {
    this.files.open(this.query.message_id);
    try {
      this.iterator = iteratorOf(this.bot.getResponseWithContext(this.query, this.context));
    } catch (error) {
      this.finish(this.errorEvent(error));
    }
    if (this.isEnded) return Promise.resolve(this.takeStart());
    // A plain promise rather than an async method: one suspended frame fewer per query.
    return new Promise((resolve) => {
      this.wake = () => resolve(this.takeStart());
      this.wanted = true;
      // Even the first item gets only a few turns: a bot that waits for it still gets its headers out.
      this.ask(true);
    });
  }

  /** What `start` resolves with: whether the response is whole, and what was written so far. */
  private takeStart(): { complete: boolean; text: string } {
    const text = this.buffered;
    this.buffered = "";
    return { complete: this.isEnded, text };
  }

  /** Sends the rest of the response to `sink`; from now on the stream gets keep-alive ticks. */
  attach(sink: StreamSink): void {
    this.sink = sink;
    // What was written in between (an `error` from a shutdown) goes first.
    if (this.buffered !== "") this.write(this.buffered);
    this.buffered = "";
    if (this.isEnded) {
      this.sink.close();
      return;
    }
    this.host.onAttach();
  }

  /**
   * Writes the bot's items as they come for as long as the sink wants more; call it again when the
   * sink has drained.
   */
  resume(): void {
    this.continuous = true;
    if (this.isEnded || this.wanted || !this.sink?.wantsMore()) return;
    this.want();
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
            fail: (error) => controller.error(error),
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
  pull(): Promise<void> {
    if (this.isEnded) return RESOLVED;
    const written = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.want();
    return written;
  }

  /**
   * The app's keep-alive timer calls this every `pingIntervalMs` for each open stream: it checks the
   * duration limit and writes a `: ping` when nothing else was written since the last tick and the
   * reader keeps up.
   */
  tick(): void {
    if (this.isEnded || this.sink === undefined) return;
    const broken = this.monitor.checkDuration();
    if (broken !== undefined && this.overLimit(broken, "")) return;
    if (!this.wroteSinceTick && this.sink.wantsMore()) this.write(PING_COMMENT);
    this.wroteSinceTick = false;
  }

  /** Stops the bot without writing anything more (the client is gone). */
  cancel(reason: string): void {
    if (this.isEnded) return;
    this.cleanup();
    this.stopBot(reason);
  }

  /** The reader wants output: take what came meanwhile, or ask the bot unless already asked. */
  private want(): void {
    this.wanted = true;
    const held = this.held;
    if (held !== undefined) {
      this.held = undefined;
      if (held.failed) this.fail(held.error);
      else this.take(held.step as Step);
    } else if (!this.waiting) {
      this.ask(false);
    }
  }

  /**
   * Asks the bot for its next step. Within a chunk (and for the first item, in `start`) it gets a
   * few microtask turns; otherwise the reader waits for it however long it takes.
   */
  private ask(briefly: boolean): void {
    let next: Step | PromiseLike<Step>;
    try {
      next = (this.iterator as AsyncIterator<unknown> | Iterator<unknown>).next();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!isThenable(next)) {
      this.take(next);
      return;
    }
    this.awaitStep(next);
    if (briefly) this.openWindow();
  }

  /** Waits for the bot's step: one reaction, bound once per stream, is all a stream holds meanwhile. */
  private awaitStep(next: PromiseLike<Step>): void {
    this.waiting = true;
    (next instanceof Promise ? next : Promise.resolve(next)).then(this.onStep, this.onFailure);
  }

  /** Counts `patience` turns for the next step; when they pass without it, what is ready is written. */
  private openWindow(): void {
    this.windowOpen = true;
    if (this.turning) {
      // The last window's turn is still queued: it counts for this one too, so this one gets one more.
      this.turnsLeft = this.patience + 1;
      return;
    }
    this.turnsLeft = this.patience;
    this.turning = true;
    RESOLVED.then(this.onTurn);
  }

  private turn(): void {
    if (this.windowOpen && --this.turnsLeft > 0) {
      RESOLVED.then(this.onTurn);
      return;
    }
    this.turning = false;
    if (!this.windowOpen) return;
    this.windowOpen = false;
    // After an item that was not ready, the next gets fewer turns (see BRIEF_PATIENCE_TURNS).
    if (this.chunk !== "") this.patience = BRIEF_PATIENCE_TURNS;
    try {
      this.flush();
    } catch (error) {
      this.breakDown(error);
    }
  }

  /** The bot's step came (or it threw). */
  private arrive(step: Step | undefined, error: unknown, failed: boolean): void {
    this.waiting = false;
    if (this.isEnded) return;
    if (this.windowOpen) {
      // Within the turns it was given: it joins the chunk, and the next gets full patience.
      this.windowOpen = false;
      this.patience = PATIENCE_TURNS;
    } else if (!this.wanted) {
      this.held = { step, error, failed };
      return;
    }
    if (failed) this.fail(error);
    else this.take(step as Step);
  }

  /** Adds the step's item to the chunk, and goes on while the bot's items are ready. */
  private take(first: Step): void {
    let step = first;
    try {
      for (;;) {
        if (step.done) {
          this.finish(this.chunk + this.takeQueued());
          return;
        }
        const item = mapResponseItem(step.value);
        const piece = this.takeQueued() + item.sse;
        if (item.done) {
          this.finishAndStop(this.chunk + piece);
          return;
        }
        if (item.violation !== undefined && !this.warnedEvent) this.warnEvent(item.violation);
        const broken = this.monitor.add(item.events, item.textChars, item.replacesText);
        if (broken !== undefined && this.overLimit(broken, this.chunk)) return;
        this.chunk += piece;
        if (this.chunk.length >= MAX_CHUNK_CHARS) {
          this.flush();
          return;
        }
        const next = (this.iterator as AsyncIterator<unknown> | Iterator<unknown>).next();
        if (isThenable(next)) {
          this.awaitStep(next);
          this.openWindow();
          return;
        }
        step = next;
      }
    } catch (error) {
      if (!this.isEnded) this.fail(error);
    }
  }

  /** Writes the chunk; a waiting `pull` resolves, and in `resume` mode the stream goes on. */
  private flush(): void {
    const sse = this.chunk;
    this.chunk = "";
    if (sse !== "") this.write(sse);
    this.wanted = false;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    if (this.continuous && !this.isEnded && this.sink?.wantsMore()) this.want();
  }

  /** Ends the response with the chunk so far, queued files and an `error` event for `error`. */
  private fail(error: unknown): void {
    const sse = this.chunk;
    this.chunk = "";
    try {
      this.finish(sse + this.takeQueued() + this.errorEvent(error));
    } catch (failure) {
      this.breakDown(failure);
    }
  }

  /**
   * Writing (or logging) threw, in a callback where nothing would catch it: the response is cut
   * off, as a failed write cuts off a socket.
   */
  private breakDown(error: unknown): void {
    if (!this.isEnded) {
      this.cleanup();
      this.stopBot("writing it failed");
    }
    this.sink?.fail(error);
  }

  private errorEvent(error: unknown): string {
    if (error instanceof InsufficientFundError) {
      return encodeEvent("error", { allow_retry: true, text: "", error_type: "insufficient_fund" });
    }
    this.host.logger.error(`${this.label()} failed`, error);
    return encodeEvent("error", {
      allow_retry: false,
      text: UNEXPECTED_ERROR_TEXT,
      raw_response: describeError(error),
    });
  }

  /** Reports a broken limit; in strict mode ends the response after `sse`. Returns whether it ended. */
  /** A raw event the bot yielded breaks a rule: it is sent as it is, and Poe will ignore it. */
  private warnEvent(violation: EventViolation): void {
    this.warnedEvent = true;
    this.host.logger.warn(
      `${this.label()}: ${describeEventViolation(violation)}; Poe ignores such an event (it was sent as yielded).`,
    );
  }

  private overLimit(problem: string, sse: string): boolean {
    if (!this.host.strictLimits) {
      this.host.logger.warn(`${this.label()}: ${problem}. Poe may cut the response short.`);
      return false;
    }
    this.host.logger.warn(`${this.label()}: ${problem}; ending the response (strictLimits).`);
    this.finishAndStop(
      sse + encodeEvent("error", { allow_retry: false, text: `The response was stopped: ${problem}.` }),
    );
    return true;
  }

  private write(sse: string): void {
    this.wroteSinceTick = true;
    if (this.sink) this.sink.write(sse);
    else this.buffered += sse;
  }

  private finish(sse: string): void {
    this.chunk = "";
    this.write(sse + DONE_EVENT);
    this.sink?.close();
    this.cleanup();
  }

  /** Ends the response while the bot may still have more to say, and stops the bot. */
  private finishAndStop(sse: string): void {
    this.finish(sse);
    this.stopBot("it was ended before the bot finished");
  }

  private stopBot(reason: string): void {
    this.abort.abort(new Error(`The response ended early: ${reason}.`));
    const iterator = this.iterator;
    if (iterator?.return) {
      // On a running async generator this waits for its current step; its `finally` runs then.
      Promise.resolve()
        .then(() => iterator.return?.())
        .catch((error: unknown) => this.host.logger.error(`${this.label()}: stopping the bot failed`, error));
    }
  }

  /** File events queued for this message (by `postMessageAttachment`), to write before the next item. */
  private takeQueued(): string {
    return this.files.take(this.query.message_id);
  }

  /** Names the bot and message in log lines. */
  private label(): string {
    return `Bot ${this.bot.botName ?? this.bot.constructor.name} (message ${this.query.message_id})`;
  }

  private cleanup(): void {
    this.isEnded = true;
    this.windowOpen = false;
    this.held = undefined;
    // Nothing of a message (file counts, queued file events) outlives its response.
    this.files.forget(this.query.message_id);
    this.host.onEnd(this);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function isThenable(value: unknown): value is PromiseLike<Step> {
  return (
    value instanceof Promise ||
    (typeof value === "object" && value !== null && typeof (value as PromiseLike<Step>).then === "function")
  );
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
