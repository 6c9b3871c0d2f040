import type { ExchangeOutcome } from "@poekit/simulator/exchange";
import { EVENT_RULES } from "poekit/protocol";

/** A protocol violation the simulator's exchange found. */
export type Violation = ExchangeOutcome["violations"][number];
/** The rule a violation broke. */
export type ViolationRule = Violation["rule"];

/**
 * The query check that reports each rule of the exchange, so that a later check can point to it.
 * @example
 * CHECK_OF_RULE["missing-done"]; // "query-done"
 */
export const CHECK_OF_RULE: Record<ViolationRule, string> = {
  "http-status": "query-status",
  "content-type": "query-status",
  "connection-failed": "query-done",
  "first-byte-timeout": "query-first-byte",
  "total-timeout": "query-total-time",
  "meta-not-first": "query-meta-first",
  "invalid-json": "query-event-grammar",
  "invalid-event-data": "query-event-grammar",
  "unknown-event": "query-event-grammar",
  "event-too-large": "query-event-grammar",
  "no-text-or-error": "query-content",
  "missing-done": "query-done",
  "event-after-done": "query-done",
  "too-many-characters": "query-limits",
  "too-many-events": "query-limits",
  // Found only by the simulator's bot query API, about the calling bot; a check's probe never is one.
  "bot-query-key": "query-status",
};

/** Rules whose breach Poe tolerates, as `EVENT_RULES` says (it ignores unknown events and reads on). */
function tolerated(rule: ViolationRule): boolean {
  return Object.hasOwn(EVENT_RULES, rule) && EVENT_RULES[rule as keyof typeof EVENT_RULES].tolerated === true;
}

/**
 * The violations of `outcome` that make a response wrong on Poe (all but the tolerated ones).
 * @example
 * if (problems(probe.outcome).length === 0) console.log("valid stream");
 */
export function problems(outcome: ExchangeOutcome): Violation[] {
  return outcome.violations.filter((violation) => !tolerated(violation.rule));
}

/**
 * The first violation of `outcome` that broke one of `rules`.
 * @example
 * findViolation(probe.outcome, "missing-done", "event-after-done")?.message;
 */
export function findViolation(outcome: ExchangeOutcome, ...rules: ViolationRule[]): Violation | undefined {
  return outcome.violations.find((violation) => rules.includes(violation.rule));
}
