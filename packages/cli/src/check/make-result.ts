import { checkInfo } from "./catalog.js";
import type { CheckResult, CheckStatus, ReceivedResponse, SentRequest } from "./check-result.js";

/** The request behind a result and what came back. */
export interface Evidence {
  request?: SentRequest;
  response?: ReceivedResponse;
  durationMs?: number;
}

/**
 * A check's result, its title, rule and section taken from the catalog.
 * @example
 * makeResult("unknown-type", "pass", "Expected 501 and got 501.", probe);
 */
export function makeResult(
  id: string,
  status: CheckStatus,
  message: string,
  evidence: Evidence = {},
): CheckResult {
  const { group, title, rule, section } = checkInfo(id);
  return {
    id,
    group,
    title,
    status,
    message,
    rule,
    section,
    ...(evidence.request && { request: evidence.request }),
    ...(evidence.response && { response: evidence.response }),
    durationMs: Math.round(evidence.durationMs ?? 0),
  };
}

/**
 * `text` cut to `limit` characters, the cut marked with how long the whole was.
 * @example
 * clip("abcdef", 3); // "abc… (6 characters in all)"
 */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${text.length.toLocaleString("en-US")} characters in all)`;
}

/**
 * A duration for people: whole seconds when it is some, milliseconds below 10 s, else seconds with
 * one decimal.
 * @example
 * formatMs(5_000); // "5 s"
 * formatMs(65); // "65 ms"
 * formatMs(12_345); // "12.3 s"
 */
export function formatMs(ms: number): string {
  const rounded = Math.round(ms);
  if (rounded >= 1_000 && rounded % 1_000 === 0) return `${rounded / 1_000} s`;
  return rounded < 10_000 ? `${rounded} ms` : `${(rounded / 1_000).toFixed(1)} s`;
}
