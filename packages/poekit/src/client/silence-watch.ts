import { BotError } from "../core/errors.js";

/** How long one try may wait for each sign of life from the bot, in ms (`Infinity` for no limit). */
export interface SilenceLimits {
  /** From sending the request to its response headers. */
  connectMs: number;
  /** From the headers to the first bytes of the body (an event or a `: ping`). */
  firstByteMs: number;
  /** Between two reads of the body once it has started. */
  idleMs: number;
}

/**
 * A try ended because the bot went quiet for too long; worth another try while nothing was delivered.
 * @example
 * if (error instanceof SilenceError && !delivered) retry();
 */
export class SilenceError extends BotError {}

const STAGES = [
  { option: "connectTimeoutMs", limit: "connectMs", what: "sent no response headers within" },
  { option: "firstByteTimeoutMs", limit: "firstByteMs", what: "sent its headers, then nothing for" },
  { option: "idleTimeoutMs", limit: "idleMs", what: "went silent in the middle of its response for" },
] as const;

/**
 * Watches one try of a call for silence: no headers, no first byte, or too long a pause between
 * bytes. One timer, re-armed only when it fires early: a chunk costs a clock read, not a timer.
 * @example
 * const watch = new SilenceWatch(limits, "GPT-4o-Mini", (error) => controller.abort(error));
 * const response = await fetch(url, { signal: controller.signal });
 * watch.headersArrived();
 */
export class SilenceWatch {
  readonly #limits: SilenceLimits;
  readonly #botName: string;
  readonly #onSilence: (error: SilenceError) => void;
  #stage = 0;
  #since = performance.now();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dueAt = Number.POSITIVE_INFINITY;
  #error: SilenceError | undefined;
  #stopped = false;

  constructor(limits: SilenceLimits, botName: string, onSilence: (error: SilenceError) => void) {
    this.#limits = limits;
    this.#botName = botName;
    this.#onSilence = onSilence;
    this.#arm();
  }

  /** The error the watch raised, once the bot was silent for too long. */
  get error(): SilenceError | undefined {
    return this.#error;
  }

  /** The response headers arrived: from now on the first bytes of the body are awaited. */
  headersArrived(): void {
    this.#enter(1);
  }

  /** A chunk of the body arrived. */
  bytesArrived(): void {
    if (this.#stage === 2) this.#since = performance.now();
    else this.#enter(2);
  }

  /** Stops watching; call it when the try has ended, however it ended. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #enter(stage: number): void {
    this.#stage = stage;
    this.#since = performance.now();
    this.#arm();
  }

  #limit(): number {
    return this.#limits[(STAGES[this.#stage] ?? STAGES[2]).limit];
  }

  /** Makes sure a timer fires no later than the current stage's deadline. */
  #arm(): void {
    if (this.#stopped) return;
    const due = this.#since + this.#limit();
    // A timer that fires sooner re-checks then; an infinite limit needs none of its own.
    if (this.#timer !== undefined && this.#dueAt <= due) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#dueAt = due;
    if (due === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(() => this.#check(), Math.max(1, Math.ceil(due - performance.now())));
    // The call itself keeps a Node process alive while it runs; its timer alone should not.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #check(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    const limit = this.#limit();
    if (performance.now() - this.#since < limit) {
      this.#dueAt = Number.POSITIVE_INFINITY;
      this.#arm();
      return;
    }
    const stage = STAGES[this.#stage] ?? STAGES[2];
    this.#error = new SilenceError(
      `Bot ${this.#botName} ${stage.what} ${formatDuration(limit)}; if it needs longer, raise ${stage.option}.`,
      { botName: this.#botName },
    );
    this.stop();
    this.#onSilence(this.#error);
  }
}

/** `50 ms`, `10 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
