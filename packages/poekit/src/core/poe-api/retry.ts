import { InvalidParameterError } from "../errors.js";
import { currentOverride } from "./transport.js";
/**
 * When and how long the client waits before trying a call again. Pure data and injectable clocks, so
 * tests decide every delay.
 */

/** How a client call is retried. Every field is optional. */
export interface RetryOptions {
  /** Attempts in total, the first included; default 2. `1` turns retries off. */
  tries?: number;
  /** The first backoff delay before jitter; default 500 ms. It doubles on each further try. */
  baseDelayMs?: number;
  /** The longest backoff delay; default 10 s. */
  maxDelayMs?: number;
  /** A `retry-after` longer than this is not waited for: the error is thrown instead. Default 60 s. */
  maxRetryAfterMs?: number;
  /** How to wait; default a timer that the call's signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for jitter; default `Math.random`. */
  random?: () => number;
  /** The current time in ms, for `retry-after` dates; default `Date.now`. */
  now?: () => number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults of Part A of the protocol notes: two tries, exponential backoff from 500 ms. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  tries: 2,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  sleep: abortableSleep,
  random: Math.random,
  now: Date.now,
};

/**
 * The policy for a `retries` option: a number of tries, or options.
 * @example
 * retryPolicy(3).tries; // 3
 */
export function retryPolicy(option?: number | RetryOptions): RetryPolicy {
  const given = typeof option === "number" ? { tries: option } : (option ?? {});
  const policy = { ...DEFAULT_RETRY_POLICY };
  // Under mockBots, waits between tries are the mock's (instant) unless the call chose its own.
  const overrideSleep = currentOverride()?.sleep;
  if (overrideSleep) policy.sleep = overrideSleep;
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined) (policy as Record<string, unknown>)[key] = value;
  }
  if (!Number.isInteger(policy.tries) || policy.tries < 1) {
    throw new InvalidParameterError(
      `retries: tries must be a whole number of at least 1, got ${String(policy.tries)}.`,
    );
  }
  return policy;
}

/** HTTP statuses worth another try: timeouts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * How long to wait before try number `attempt + 1` (after `attempt` failed tries), or `undefined`
 * when the server asked for a longer wait than the policy accepts.
 * @example
 * backoffDelay(policy, 1, "2"); // 2000: retry-after wins
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfter?: string | null,
): number | undefined {
  const asked = parseRetryAfter(retryAfter, policy.now());
  if (asked !== undefined) return asked <= policy.maxRetryAfterMs ? asked : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Half fixed, half random: spreads clients out without ever retrying at once.
  return Math.round(ceiling * (0.5 + policy.random() / 2));
}

/**
 * A `retry-after` header in ms: delay-seconds or an HTTP date. `undefined` when absent or unreadable.
 * @example
 * parseRetryAfter("3", Date.now()); // 3000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
