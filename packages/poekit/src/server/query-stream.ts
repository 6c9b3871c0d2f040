import { InsufficientFundError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { describeEventViolation, type EventViolation } from "../protocol/event-rules.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { DONE_EVENT, encodeEvent, PING_COMMENT } from "../protocol/sse-encoder.js";
import type { RequestObservation, RequestOutcome } from "./access-record.js";
import { mapResponseItem } from "./event-mapping.js";
import type { LazyAbort } from "./lazy-abort.js";
import { LimitsMonitor, type ResponseLimits } from "./limits-monitor.js";
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
 * Where a response stands. Between events a stream rests in one of these; `reading` lasts only while
 * the bot's ready items are taken, within one call.
 * - `idle`: the bot has not been asked for an item, and the reader wants nothing (before `start`, and
 *   after a full chunk).
 * - `reading`: the reader wants output and the bot's items are taken as they are ready.
 * - `awaiting`: the bot was asked for its next item; the reader waits for it however long it takes.
 * - `patient`: the bot was asked for its next item, which gets a few microtask turns before the chunk
 *   taken so far is written.
 * - `ahead`: the bot was asked for its next item, and the reader has what it wanted.
 * - `holding`: the bot's item (or its failure) came while the reader wanted nothing; it waits here.
 * - `ended`: `done` was written, or the response was cut off; nothing more is written or asked.
 */
export type StreamPhase = "idle" | "reading" | "awaiting" | "patient" | "ahead" | "holding" | "ended";

/** What `held` holds when the bot's step failed; the failure is in `heldError`. */
const THREW: unique symbol = Symbol("threw");

/** Why the bot is stopped when the response ends before it did. */
const ENDED_EARLY = "it was ended before the bot finished";

/**
 * One query response: pulls the bot's items as the client reads (so a slow reader slows the bot
 * instead of filling memory), writes them as SSE, keeps a silent stream alive with comment pings,
 * turns a failure into an `error` event, and always ends with `done`.
 *
 * Use: `start()`; when it says the response is not complete, `attach` a sink, then either call
 * `resume` (and again whenever the sink drains) or take `toReadableStream`, whose reads `pull`.
 *
 * It is driven by callbacks rather than an async loop: with thousands of bots waiting between items,
 * every promise and frame held across a wait would be promoted to the old generation and collected
 * there, the bulk of a server's memory peak. While a bot waits, a stream holds only the bot's own
 * promise and one reaction to it.
 *
 * Its state is one {@link StreamPhase}; each event is a method named for it, which moves the phase:
 *
 *             +-------------- chunkFilled --------------+
 *             v                                         |
 *   (new)   idle ------------ readerWants -----------> reading <---------- readerWants ---------- holding
 *                                                     |  ^  ^  |                                     ^
 *                             first item of a want    |  |  |  |   next item of a chunk, or the      |
 *                             is not ready            v  |  |  v   first in `start`, is not ready    |
 *                                               awaiting-+  +-patient                                |
 *                                                 ^    botStepped  |                                 |
 *                                     readerWants |                | patienceRanOut                  |
 *                                                 |                v (the chunk is written)          |
 *                                                 +------------- ahead ------------ botStepped ------+
 *
 *   Any phase but `ended` --> ended: botFinished, botYieldedDone, botThrew (in `ahead` it is held as
 *   a step is), botFailedToStart, limitReached (with strictLimits), clientLeft, shutDown, writeFailed.
 *
 * An event that does not apply to the phase is ignored: a step that comes after the client left, a
 * second `clientLeft`, a `pull` after the end.
 */
export class QueryStream implements OpenSlot {
  /** Its place among the app's open streams (see OpenStreams). */
  openIndex = -1;
  /** The request's record and logger, set by the app. */
  observation?: RequestObservation;
  /** How the response ended, and when its first event was written: for the request's record. */
  outcome: RequestOutcome = "done";
  firstByteAt = 0;
  private current: StreamPhase = "idle";
  private sink?: StreamSink;
  /** Output written before a sink is attached (see `start`). */
  private buffered = "";
  private iterator?: AsyncIterator<unknown> | Iterator<unknown>;
  /** Items taken from the bot and not yet written: they go out together, in one write. */
  private chunk = "";
  /** In `holding`: the step that came, or THREW with the failure in `heldError`. */
  private held: Step | typeof THREW | undefined = undefined;
  private heldError: unknown = undefined;
  /** `resume` mode (node:http): after each write, go on while the sink takes more. */
  private continuous = false;
  /** Microtask turns left to count; above 0 while a turn is queued (one at a time, no closure per wait). */
  private turnsLeft = 0;
  private patience = PATIENCE_TURNS;
  /** Resolves the waiting `start` or `pull`. */
  private wake?: () => void;
  /** A raw event that breaks a rule was logged; once per response is enough to tell the author. */
  private warnedEvent = false;
  private wroteSinceTick = true;
  readonly monitor: LimitsMonitor;
  /** The bot's per-message files, looked up once per response. */
  private readonly files: MessageFiles;
  private readonly onStep = (step: Step) => this.botStepped(step);
  private readonly onFailure = (error: unknown) => this.botThrew(error);
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

  /** Where the response stands (see {@link StreamPhase}). */
  get phase(): StreamPhase {
    return this.current;
  }

  /** Whether the response has ended (written `done`, or been cut off). */
  get ended(): boolean {
    return this.current === "ended";
  }

  // ---- What the app and the reader call ----

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
      this.botFailedToStart(error);
    }
    if (this.current === "ended") return Promise.resolve(this.takeStart());
    // A plain promise rather than an async method: one suspended frame fewer per query.
    return new Promise((resolve) => {
      this.wake = () => resolve(this.takeStart());
      // Even the first item gets only a few turns: a bot that waits for it still gets its headers out.
      this.readerWants(true);
    });
  }

  /** What `start` resolves with: whether the response is whole, and what was written so far. */
  private takeStart(): { complete: boolean; text: string } {
    const text = this.buffered;
    this.buffered = "";
    return { complete: this.current === "ended", text };
  }

  /** Sends the rest of the response to `sink`; from now on the stream gets keep-alive ticks. */
  attach(sink: StreamSink): void {
    this.sink = sink;
    // What was written in between (an `error` from a shutdown) goes first.
    if (this.buffered !== "") this.write(this.buffered);
    this.buffered = "";
    if (this.current === "ended") {
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
    if (this.sink?.wantsMore()) this.readerWants(false);
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
        cancel: () => this.clientLeft(),
      },
      { highWaterMark: 1 },
    );
  }

  /**
   * Writes the bot's next items: all it has ready, or the next one when none is. Call it when the
   * reader wants more; it resolves once something was written or the response ended.
   */
  pull(): Promise<void> {
    if (this.current === "ended") return RESOLVED;
    const written = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.readerWants(false);
    return written;
  }

  /**
   * The app's keep-alive timer calls this every `pingIntervalMs` for each open stream: it checks the
   * duration limit and writes a `: ping` when nothing else was written since the last tick and the
   * reader keeps up.
   */
  tick(): void {
    if (this.current === "ended" || this.sink === undefined) return;
    const broken = this.monitor.checkDuration();
    if (broken !== undefined && this.limitReached(broken, "")) return;
    if (!this.wroteSinceTick && this.sink.wantsMore()) this.write(PING_COMMENT);
    this.wroteSinceTick = false;
  }

  /** The client went away: the bot is stopped, and nothing more is written. */
  clientLeft(): void {
    if (this.current === "ended") return;
    this.outcome = "client_gone";
    this.enterEnded();
    this.stopBot("the client disconnected");
  }

  /** The server shuts down: the response ends now with an `error` event and `done`; the bot is stopped. */
  shutDown(text: string, allowRetry: boolean): void {
    if (this.current === "ended") return;
    this.outcome = "shutdown";
    this.writeLast(encodeEvent("error", { allow_retry: allowRetry, text }));
    this.stopBot(ENDED_EARLY);
  }

  // ---- The reader wants output; the bot's steps come ----

  /** The reader wants output: take what came meanwhile, or ask the bot unless it was asked already. */
  private readerWants(briefly: boolean): void {
    switch (this.current) {
      case "idle":
        this.current = "reading";
        this.ask(briefly);
        return;
      case "ahead":
        this.current = "awaiting";
        return;
      case "holding": {
        const held = this.held as Step | typeof THREW;
        const error = this.heldError;
        this.held = undefined;
        this.heldError = undefined;
        this.current = "reading";
        if (held === THREW) this.botThrew(error);
        else this.take(held);
        return;
      }
      default:
      // reading, awaiting, patient: it wants already; ended: nothing more comes.
    }
  }

  /**
   * Asks the bot for its next step. Given `briefly` (the first item, in `start`), a step that is not
   * ready gets a few microtask turns; otherwise the reader waits for it however long it takes.
   */
  private ask(briefly: boolean): void {
    let next: Step | PromiseLike<Step>;
    try {
      next = (this.iterator as AsyncIterator<unknown> | Iterator<unknown>).next();
    } catch (error) {
      this.botThrew(error);
      return;
    }
    if (!isThenable(next)) {
      this.take(next);
      return;
    }
    this.awaitStep(next, briefly ? "patient" : "awaiting");
  }

  /** Waits for the bot's step: one reaction, bound once per stream, is all a stream holds meanwhile. */
  private awaitStep(next: PromiseLike<Step>, phase: "patient" | "awaiting"): void {
    this.current = phase;
    (next instanceof Promise ? next : Promise.resolve(next)).then(this.onStep, this.onFailure);
    if (phase === "patient") this.countTurns();
  }

  /** The bot's step came. */
  private botStepped(step: Step): void {
    if (this.current === "patient") {
      // Within the turns it was given: it joins the chunk, and the next gets full patience.
      this.patience = PATIENCE_TURNS;
      this.current = "reading";
      this.take(step);
    } else if (this.current === "awaiting") {
      this.current = "reading";
      this.take(step);
    } else if (this.current === "ahead") {
      this.held = step;
      this.current = "holding";
    }
    // ended: the step of a bot that was stopped is dropped.
  }

  /** Adds the step's item to the chunk, and goes on while the bot's items are ready. */
  private take(first: Step): void {
    let step = first;
    try {
      for (;;) {
        if (step.done) {
          this.botFinished();
          return;
        }
        const item = mapResponseItem(step.value);
        const piece = this.takeQueued() + item.sse;
        if (item.done) {
          this.botYieldedDone(piece);
          return;
        }
        if (item.violation !== undefined && !this.warnedEvent) this.warnEvent(item.violation);
        if (item.sse.startsWith("event: error\r")) this.outcome = "error";
        const broken = this.monitor.add(item.events, item.textChars, item.replacesText);
        if (broken !== undefined && this.limitReached(broken, this.chunk)) return;
        this.chunk += piece;
        if (this.chunk.length >= MAX_CHUNK_CHARS) {
          this.chunkFilled();
          return;
        }
        const next = (this.iterator as AsyncIterator<unknown> | Iterator<unknown>).next();
        if (isThenable(next)) {
          this.awaitStep(next, "patient");
          return;
        }
        step = next;
      }
    } catch (error) {
      if (this.current !== "ended") this.botThrew(error);
    }
  }

  // ---- Patience: microtask turns counted for a step that is not ready ----

  /** Counts `patience` turns for the next step; when they pass without it, what is ready is written. */
  private countTurns(): void {
    if (this.turnsLeft > 0) {
      // The last window's turn is still queued: it counts for this one too, so this one gets one more.
      this.turnsLeft = this.patience + 1;
      return;
    }
    this.turnsLeft = this.patience;
    RESOLVED.then(this.onTurn);
  }

  private turn(): void {
    if (this.current === "patient" && --this.turnsLeft > 0) {
      RESOLVED.then(this.onTurn);
      return;
    }
    this.turnsLeft = 0;
    if (this.current === "patient") this.patienceRanOut();
  }

  /** The bot's next step did not come within its turns: what is ready is written meanwhile. */
  private patienceRanOut(): void {
    // After an item that was not ready, the next gets fewer turns (see BRIEF_PATIENCE_TURNS).
    if (this.chunk !== "") this.patience = BRIEF_PATIENCE_TURNS;
    try {
      this.deliver("ahead");
    } catch (error) {
      this.writeFailed(error);
    }
  }

  /** The chunk reached its size while the bot's items were ready: it is written, the bot is not asked. */
  private chunkFilled(): void {
    this.deliver("idle");
  }

  /**
   * Writes the chunk and moves to `next`; a waiting `pull` resolves, and in `resume` mode the stream
   * goes on while the sink takes more.
   */
  private deliver(next: "idle" | "ahead"): void {
    const sse = this.chunk;
    this.chunk = "";
    if (sse !== "") this.write(sse);
    if (this.current !== "ended") this.current = next;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    if (this.continuous && this.current !== "ended" && this.sink?.wantsMore()) this.readerWants(false);
  }

  // ---- The ways a response ends ----

  /** The bot's iterator is done: the chunk and queued files go out, then `done`. */
  private botFinished(): void {
    this.writeLast(this.chunk + this.takeQueued());
  }

  /** The bot yielded a raw `done`: the response ends with `piece`, and the bot is stopped. */
  private botYieldedDone(piece: string): void {
    this.writeLast(this.chunk + piece);
    this.stopBot(ENDED_EARLY);
  }

  /**
   * The bot threw, its step rejected, or it yielded something that is not a response: the response
   * ends with the chunk so far, queued files and an `error` event. In `ahead` the failure is held
   * until the reader wants more, as a step would be.
   */
  private botThrew(error: unknown): void {
    if (this.current === "ended") return;
    if (this.current === "ahead") {
      this.held = THREW;
      this.heldError = error;
      this.current = "holding";
      return;
    }
    const sse = this.chunk;
    this.chunk = "";
    try {
      this.writeLast(sse + this.takeQueued() + this.errorEvent(error));
    } catch (failure) {
      this.writeFailed(failure);
    }
  }

  /** `getResponse` threw, or returned something that is not iterable: the response is an `error`. */
  private botFailedToStart(error: unknown): void {
    this.writeLast(this.errorEvent(error));
  }

  /**
   * A response limit was broken: it is reported, and in strict mode the response ends after `sse`
   * and the bot is stopped. Returns whether it ended.
   */
  private limitReached(problem: string, sse: string): boolean {
    if (!this.host.strictLimits) {
      this.log.warn(`${this.label()}: ${problem}. Poe may cut the response short.`);
      return false;
    }
    this.log.warn(`${this.label()}: ${problem}; ending the response (strictLimits).`);
    this.outcome = this.monitor.overTime ? "timeout" : "limit";
    this.writeLast(
      sse + encodeEvent("error", { allow_retry: false, text: `The response was stopped: ${problem}.` }),
    );
    this.stopBot(ENDED_EARLY);
    return true;
  }

  /**
   * Writing (or logging) threw, in a callback where nothing would catch it: the response is cut
   * off, as a failed write cuts off a socket.
   */
  private writeFailed(error: unknown): void {
    if (this.current !== "ended") {
      this.outcome = "client_gone";
      this.enterEnded();
      this.stopBot("writing it failed");
    }
    this.sink?.fail(error);
  }

  /** Writes the response's last output and `done`, closes the sink, and ends. */
  private writeLast(sse: string): void {
    this.chunk = "";
    this.write(sse + DONE_EVENT);
    this.sink?.close();
    this.enterEnded();
  }

  /** The one way into `ended`: the app forgets the stream, and a waiting `start` or `pull` resolves. */
  private enterEnded(): void {
    this.current = "ended";
    this.held = undefined;
    this.heldError = undefined;
    // Nothing of a message (file counts, queued file events) outlives its response.
    this.files.forget(this.query.message_id);
    this.host.onEnd(this);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Aborts the bot's signal and returns its iterator, for a response that ended before the bot. */
  private stopBot(reason: string): void {
    this.abort.abort(new Error(`The response ended early: ${reason}.`));
    const iterator = this.iterator;
    if (iterator?.return) {
      // On a running async generator this waits for its current step; its `finally` runs then.
      Promise.resolve()
        .then(() => iterator.return?.())
        .catch((error: unknown) => this.log.error(`${this.label()}: stopping the bot failed`, error));
    }
  }

  // ---- Output ----

  private write(sse: string): void {
    this.wroteSinceTick = true;
    if (this.firstByteAt === 0 && sse !== PING_COMMENT) this.firstByteAt = performance.now();
    if (this.sink) this.sink.write(sse);
    else this.buffered += sse;
  }

  private errorEvent(error: unknown): string {
    this.outcome = "error";
    if (error instanceof InsufficientFundError) {
      return encodeEvent("error", { allow_retry: true, text: "", error_type: "insufficient_fund" });
    }
    this.log.error(`${this.label()} failed`, error);
    return encodeEvent("error", {
      allow_retry: false,
      text: UNEXPECTED_ERROR_TEXT,
      raw_response: describeError(error),
    });
  }

  /** A raw event the bot yielded breaks a rule: it is sent as it is, and Poe will ignore it. */
  private warnEvent(violation: EventViolation): void {
    this.warnedEvent = true;
    this.log.warn(
      `${this.label()}: ${describeEventViolation(violation)}; Poe ignores such an event (it was sent as yielded).`,
    );
  }

  /** File events queued for this message (by `postMessageAttachment`), to write before the next item. */
  private takeQueued(): string {
    return this.files.take(this.query.message_id);
  }

  /** The app's logger, with the request's ids when the app observes it. */
  private get log(): Logger {
    return this.observation?.logger ?? this.host.logger;
  }

  /** Names the bot and message in log lines. */
  private label(): string {
    return `Bot ${this.bot.botName ?? this.bot.constructor.name} (message ${this.query.message_id})`;
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
