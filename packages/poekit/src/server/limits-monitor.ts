import { answerLengthAfter } from "../protocol/answer-fold.js";
import {
  MAX_RESPONSE_CHARACTERS,
  MAX_RESPONSE_EVENTS,
  TOTAL_RESPONSE_TIMEOUT_MS,
} from "../protocol/limits.js";

/** Poe's limits a response is measured against; tests may lower them. */
export interface ResponseLimits {
  maxCharacters: number;
  maxEvents: number;
  maxDurationMs: number;
}

export const POE_RESPONSE_LIMITS: ResponseLimits = {
  maxCharacters: MAX_RESPONSE_CHARACTERS,
  maxEvents: MAX_RESPONSE_EVENTS,
  maxDurationMs: TOTAL_RESPONSE_TIMEOUT_MS,
};

const CHARACTERS = 1;
const EVENTS = 2;
const DURATION = 4;

/**
 * Counts what a response has sent and says when it first goes over one of Poe's limits. Each
 * limit is reported once per response.
 */
export class LimitsMonitor {
  private characters = 0;
  private events = 0;
  /** Bits of the limits already reported, so each is reported once. */
  private reported = 0;
  private readonly startedAt = Date.now();

  constructor(private readonly limits: ResponseLimits) {}

  /** Events the bot has sent so far (for the access record). */
  get sentEvents(): number {
    return this.events;
  }

  /** Characters of text the answer has so far (for the access record). */
  get sentCharacters(): number {
    return this.characters;
  }

  /** Whether the response has gone over Poe's limit on its duration. */
  get overTime(): boolean {
    return (this.reported & DURATION) !== 0;
  }

  /** Adds a mapped item; returns a description of a newly broken limit, if any. */
  add(events: number, textChars: number, replacesText: boolean): string | undefined {
    this.events += events;
    this.characters = answerLengthAfter(this.characters, replacesText, textChars);
    if (this.characters > this.limits.maxCharacters) {
      return this.once(
        CHARACTERS,
        `the response has ${this.characters} characters of text, over Poe's limit of ${this.limits.maxCharacters}`,
      );
    }
    if (this.events > this.limits.maxEvents) {
      return this.once(
        EVENTS,
        `the response has ${this.events} events, over Poe's limit of ${this.limits.maxEvents}`,
      );
    }
    return this.checkDuration();
  }

  /** Checks the elapsed time alone (called while the bot is silent). */
  checkDuration(): string | undefined {
    const elapsed = Date.now() - this.startedAt;
    if (elapsed > this.limits.maxDurationMs) {
      return this.once(
        DURATION,
        `the response has taken ${Math.round(elapsed / 1000)} s, over Poe's limit of ${this.limits.maxDurationMs / 1000} s`,
      );
    }
    return undefined;
  }

  private once(bit: number, message: string): string | undefined {
    if (this.reported & bit) return undefined;
    this.reported |= bit;
    return message;
  }
}
