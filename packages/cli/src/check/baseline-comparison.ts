import type { CheckResult } from "./check-result.js";
import { clip, makeResult } from "./make-result.js";
import type { QueryProbe } from "./query-probe.js";
import { CHECK_OF_RULE, problems } from "./violations.js";

/** How a check judges its query against the normal one. */
export interface Judging {
  /** What a problem that only this input causes is. */
  severity: "fail" | "warn";
  /** The input, as the message opens: "With 1,000 messages of history". */
  situation: string;
  /** Whether an error event is as good an answer as text (the normal query's own errors aside). */
  errorAcceptable: boolean;
}

/**
 * Judges a query sent with some unusual input against the normal query: what goes wrong only with
 * this input gets `severity`; what goes wrong with the normal query too is already reported by the
 * query checks, so it is skipped here rather than reported twice.
 * @example
 * judgeAgainstBaseline("long-history", probe, baseline, {
 *   severity: "fail", situation: "With 1,000 messages of history", errorAcceptable: false,
 * });
 */
export function judgeAgainstBaseline(
  id: string,
  probe: QueryProbe,
  baseline: QueryProbe,
  judging: Judging,
): CheckResult {
  const { severity, situation } = judging;
  const known = new Set(problems(baseline.outcome).map((violation) => violation.rule));
  const found = problems(probe.outcome);
  const fresh = found.find((violation) => !known.has(violation.rule));
  if (fresh) {
    return makeResult(id, severity, `${situation}, ${lowerFirst(fresh.message)}`, probe);
  }
  if (found.length > 0) {
    const checks = [...new Set(found.map((violation) => CHECK_OF_RULE[violation.rule]))];
    return makeResult(
      id,
      "skip",
      `${situation}, the bot breaks the same rules as with the normal query (see ${checks.join(", ")}), so nothing more can be judged here.`,
      probe,
    );
  }
  if (probe.errorText !== null && baseline.errorText === null && !judging.errorAcceptable) {
    return makeResult(
      id,
      severity,
      `${situation}, the bot answered with an error event ("${clip(probe.errorText, 200)}") where the normal query got an answer.`,
      probe,
    );
  }
  const answer =
    probe.errorText === null
      ? "a valid event stream"
      : "an error event in a valid stream, an acceptable answer";
  return makeResult(id, "pass", `${situation}, the bot answered with ${answer}.`, probe);
}

function lowerFirst(text: string): string {
  return text.startsWith("The ") ? `the ${text.slice(4)}` : text;
}
