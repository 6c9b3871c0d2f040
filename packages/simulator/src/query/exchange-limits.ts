import {
  FIRST_RESPONSE_TIMEOUT_MS,
  MAX_RESPONSE_CHARACTERS,
  MAX_RESPONSE_EVENTS,
  TOTAL_RESPONSE_TIMEOUT_MS,
} from "poekit/protocol";

/** The limits one exchange is graded against: Poe's by default, lowered in tests. */
export interface ExchangeLimits {
  /** Time from sending the request until the response headers must have arrived. */
  firstByteMs: number;
  /** Time from sending the request until `done` must have arrived. */
  totalMs: number;
  /** Characters (Unicode code points) of response text. */
  maxCharacters: number;
  /** Events in one response; keep-alives do not count. */
  maxEvents: number;
  /** The largest single event the reader holds in memory (see `SseDecoderOptions.maxEventBytes`). */
  maxEventBytes: number;
  /** How long to keep reading after `done`, only to notice anything sent after it. */
  afterDoneGraceMs: number;
  /** How many bytes to read after `done` at most, for the same reason. */
  afterDoneMaxBytes: number;
}

/** Poe's limits, plus our bounds for what Poe leaves unspecified. */
export const DEFAULT_EXCHANGE_LIMITS: Readonly<ExchangeLimits> = Object.freeze({
  firstByteMs: FIRST_RESPONSE_TIMEOUT_MS,
  totalMs: TOTAL_RESPONSE_TIMEOUT_MS,
  maxCharacters: MAX_RESPONSE_CHARACTERS,
  maxEvents: MAX_RESPONSE_EVENTS,
  // Room for an event carrying all the text Poe allows, even JSON-escaped as \uXXXX pairs (12 bytes
  // per character), while a runaway stream still cannot exhaust memory.
  maxEventBytes: 4 * 1024 * 1024,
  afterDoneGraceMs: 1_000,
  afterDoneMaxBytes: 64 * 1024,
});

/** setTimeout runs anything longer than this after 1 ms instead. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Poe's limits with `overrides` applied (undefined entries ignored).
 * @throws RangeError for a limit that is not a usable number: a caller bug, not the bot's.
 */
export function resolveExchangeLimits(overrides: Partial<ExchangeLimits> = {}): ExchangeLimits {
  const limits: ExchangeLimits = { ...DEFAULT_EXCHANGE_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof ExchangeLimits>) {
    const value = overrides[key];
    if (value === undefined) continue;
    // Zero makes sense only for the after-done allowance (stop at `done` at once).
    const least = key === "afterDoneGraceMs" || key === "afterDoneMaxBytes" ? 0 : 1;
    if (!Number.isFinite(value) || value < least || value > MAX_TIMER_MS) {
      throw new RangeError(
        `Exchange limit ${key} must be a number from ${least} to ${MAX_TIMER_MS}, got ${value}.`,
      );
    }
    limits[key] = value;
  }
  return limits;
}
