import type { ResponseEvent } from "poekit/protocol";
import type { ExchangeTimings, RawEventRecord, Violation } from "../model.js";

/** What is known once the bot's response headers arrive. */
export interface ResponseInfo {
  httpStatus: number;
  /** The `Content-Type` header as sent, or null when there was none. */
  contentType: string | null;
  /** Milliseconds after the request was sent. */
  firstByteMs: number;
}

/** A raw event (or comment) as it arrived, before the caller ties it to its exchange record. */
export type ExchangeRawEvent = Omit<RawEventRecord, "exchangeId">;

/**
 * Follows one exchange as it happens, so the page can show progress while the bot streams.
 * Every callback is synchronous and optional; one that throws is a caller bug and ends the exchange
 * with that error.
 */
export interface ExchangeObserver {
  /** The response headers arrived. */
  onResponse?(info: ResponseInfo): void;
  /** An event or comment line arrived (`event: ":"` for comments), before it is acted on. */
  onRawEvent?(event: ExchangeRawEvent): void;
  /** The bot broke a rule of the protocol. */
  onViolation?(violation: Violation): void;
  /** An event that the page should apply to the answer (valid, and where the protocol allows it). */
  onEvent?(event: ResponseEvent): void;
  /** A timing became known; the argument is a snapshot of all of them. */
  onTimings?(timings: ExchangeTimings): void;
}
