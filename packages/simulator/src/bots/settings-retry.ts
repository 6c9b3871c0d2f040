/**
 * When a failed settings fetch is tried again: 1 s, 5 s and 30 s after the failure that started the
 * series (each counted from the failed attempt before it). Poe "may retry later"; these few attempts
 * cover a bot server still starting or being fixed, without polling a broken bot for ever.
 */
export const SETTINGS_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];

/** What started a settings fetch: whether it begins a new series of retries. */
export type SettingsFetchTrigger =
  /** Registration, `fetch_settings`, the page's button, `meta.refetch_settings`: a new series. */
  | "explicit"
  /** A timer of the series. */
  | "retry"
  /** A message to a bot whose timed retries are used up. */
  | "message";

/** Options of {@link SettingsRetrySchedule}. */
export interface SettingsRetryOptions {
  /** Fetches the bot's settings again (and reports the outcome itself). */
  retry: (name: string) => void;
  /** Aborted when the simulator stops: pending timers are cleared and none is set again. */
  signal: AbortSignal;
  /** Default {@link SETTINGS_RETRY_DELAYS_MS}; tests pass short ones. */
  delaysMs?: readonly number[];
}

/**
 * Keeps, for each bot whose last settings fetch failed, how many timed retries it has had and the
 * timer of the next one. Timers are unref'd, so a pending retry never keeps the process alive.
 */
export class SettingsRetrySchedule {
  readonly #options: SettingsRetryOptions;
  readonly #delays: readonly number[];
  readonly #failing = new Map<
    string,
    { retries: number; timer: ReturnType<typeof setTimeout> | null; claimed?: boolean }
  >();

  constructor(options: SettingsRetryOptions) {
    this.#options = options;
    this.#delays = options.delaysMs ?? SETTINGS_RETRY_DELAYS_MS;
    options.signal.addEventListener("abort", () => {
      for (const name of [...this.#failing.keys()]) this.forget(name);
    });
  }

  /**
   * Records a failed fetch and sets the timer of the next retry, if the series has one left. Returns
   * when the next attempt will be, as a sentence for the bot's settings error.
   */
  failed(name: string, trigger: SettingsFetchTrigger): string {
    const previous = this.#failing.get(name);
    if (previous?.timer) clearTimeout(previous.timer);
    const retries = trigger === "explicit" || !previous ? 0 : previous.retries;
    const delay = this.#delays[retries];
    if (delay === undefined || this.#options.signal.aborted) {
      this.#failing.set(name, { retries, timer: null });
      return "The simulator fetches them again at the next message to the bot.";
    }
    const timer = setTimeout(() => {
      const entry = this.#failing.get(name);
      if (entry?.timer !== timer) return;
      entry.timer = null;
      this.#options.retry(name);
    }, delay);
    timer.unref();
    this.#failing.set(name, { retries: retries + 1, timer });
    return `The simulator fetches them again in ${seconds(delay)} (retry ${retries + 1} of ${this.#delays.length}; then at the next message to the bot).`;
  }

  /**
   * Whether a message to the bot should fetch its settings again: they failed, the timed retries are
   * used up, and no such fetch is under way. True claims the fetch until its outcome is recorded.
   */
  claimMessageRetry(name: string): boolean {
    const entry = this.#failing.get(name);
    if (entry === undefined || entry.timer !== null || entry.claimed || this.#options.signal.aborted) {
      return false;
    }
    entry.claimed = true;
    return true;
  }

  /** Ends the bot's series: its settings were fetched (or it has none), or it was removed. */
  forget(name: string): void {
    const entry = this.#failing.get(name);
    if (entry?.timer) clearTimeout(entry.timer);
    this.#failing.delete(name);
  }
}

function seconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
