import { MAX_RESPONSE_CHARACTERS, MAX_RESPONSE_EVENTS } from "poekit/protocol";
import type { CheckContext, CheckUnit } from "./check-context.js";
import type { CheckResult } from "./check-result.js";
import { judgeKeepAlive } from "./keep-alive.js";
import { formatMs, makeResult } from "./make-result.js";
import type { QueryProbe } from "./query-probe.js";
import { findViolation } from "./violations.js";

/** The checks graded from the normal query, in report order. */
export const QUERY_CHECK_IDS = [
  "query-status",
  "query-first-byte",
  "query-event-grammar",
  "query-meta-first",
  "query-content",
  "query-done",
  "query-total-time",
  "query-limits",
  "keep-alive",
] as const;

/**
 * Every check of the normal query: one short user message, sent as Poe sends it, its answer graded
 * by the simulator's exchange and split into one result per rule.
 * @example
 * const results = await queryChecks[0].run(context); // query-status … keep-alive
 */
export const queryChecks: readonly CheckUnit[] = [
  {
    ids: QUERY_CHECK_IDS,
    usesBaseline: true,
    run: async (context) => gradeNormalQuery(await context.baseline(), context),
  },
];

/**
 * The results of the query checks for one graded query.
 * @example
 * gradeNormalQuery(await context.baseline(), context).find((result) => result.id === "query-done");
 */
export function gradeNormalQuery(probe: QueryProbe, context: CheckContext): CheckResult[] {
  const { outcome } = probe;
  const result = (id: string, status: CheckResult["status"], message: string) =>
    makeResult(id, status, message, probe);
  const results: CheckResult[] = [];

  const firstByte = findViolation(outcome, "first-byte-timeout");
  const refused =
    findViolation(outcome, "http-status", "content-type") ??
    (outcome.httpStatus === null ? findViolation(outcome, "connection-failed") : undefined);
  if (firstByte) {
    results.push(result("query-status", "skip", "No response arrived in time (see query-first-byte)."));
    results.push(result("query-first-byte", "fail", firstByte.message));
  } else {
    results.push(
      refused
        ? result("query-status", "fail", refused.message)
        : result("query-status", "pass", `The query got ${outcome.httpStatus} ${outcome.contentType}.`),
    );
    results.push(
      probe.responseAtMs === null
        ? result("query-first-byte", "skip", "No response arrived (see query-status).")
        : result(
            "query-first-byte",
            "pass",
            `The response headers arrived after ${formatMs(probe.responseAtMs)} (limit ${formatMs(context.firstByteMs)}).`,
          ),
    );
  }
  if (firstByte || refused || outcome.httpStatus !== 200) {
    const rest = QUERY_CHECK_IDS.filter((id) => !results.some((done) => done.id === id));
    return [
      ...results,
      ...rest.map((id) =>
        result(id, "skip", "There is no event stream to grade (see query-status and query-first-byte)."),
      ),
    ];
  }
  return [...results, ...gradeStream(probe, context, result)];
}

type Result = (id: string, status: CheckResult["status"], message: string) => CheckResult;

/** The checks of a response that is an event stream. */
function gradeStream(probe: QueryProbe, context: CheckContext, result: Result): CheckResult[] {
  const { outcome } = probe;
  const stopped = "Reading stopped before the end of the response (see the other query checks).";
  const results: CheckResult[] = [];

  const malformed = findViolation(outcome, "invalid-json", "invalid-event-data", "event-too-large");
  const unknown = findViolation(outcome, "unknown-event");
  results.push(
    malformed
      ? result("query-event-grammar", "fail", malformed.message)
      : unknown
        ? result("query-event-grammar", "warn", unknown.message)
        : result(
            "query-event-grammar",
            "pass",
            `All ${outcome.eventCount} events are protocol events with valid data.`,
          ),
  );

  const lateMeta = findViolation(outcome, "meta-not-first");
  const first = probe.response.events?.find((event) => event.event !== ":" && event.event !== "ping");
  results.push(
    lateMeta
      ? result("query-meta-first", "fail", lateMeta.message)
      : result(
          "query-meta-first",
          "pass",
          first?.event === "meta"
            ? "The meta event came first."
            : "There is no meta event, so Poe's defaults apply.",
        ),
  );

  const empty = findViolation(outcome, "no-text-or-error");
  results.push(
    empty
      ? result("query-content", "fail", empty.message)
      : probe.errorText !== null
        ? result("query-content", "pass", "The answer is an error event, which Poe shows to the user.")
        : probe.sawContent
          ? result("query-content", "pass", "The response has text.")
          : result("query-content", "skip", stopped),
  );

  const badEnd =
    findViolation(outcome, "missing-done", "event-after-done") ?? findViolation(outcome, "connection-failed");
  results.push(
    badEnd
      ? result("query-done", "fail", badEnd.message)
      : outcome.completed
        ? result("query-done", "pass", "The response ended with one done event and nothing after it.")
        : result("query-done", "skip", stopped),
  );

  const late = findViolation(outcome, "total-timeout");
  const doneMs = outcome.timings.doneMs;
  results.push(
    late
      ? result("query-total-time", "fail", late.message)
      : doneMs !== null
        ? result(
            "query-total-time",
            "pass",
            `done arrived after ${formatMs(doneMs)} (limit ${formatMs(context.totalMs)}).`,
          )
        : result("query-total-time", "skip", stopped),
  );

  const oversize = findViolation(outcome, "too-many-characters", "too-many-events");
  const maxEvents = context.limits.maxEvents ?? MAX_RESPONSE_EVENTS;
  const maxCharacters = context.limits.maxCharacters ?? MAX_RESPONSE_CHARACTERS;
  results.push(
    oversize
      ? result("query-limits", "fail", oversize.message)
      : outcome.completed
        ? result(
            "query-limits",
            "pass",
            `${count(outcome.eventCount)} events and ${count(outcome.textLength)} characters of text (limits ${count(maxEvents)} and ${count(maxCharacters)}).`,
          )
        : result("query-limits", "skip", stopped),
  );

  results.push(gradeKeepAlive(probe, context, result));
  return results;
}

function gradeKeepAlive(probe: QueryProbe, context: CheckContext, result: Result): CheckResult {
  const verdict = judgeKeepAlive(
    {
      startMs: probe.responseAtMs ?? 0,
      endMs: probe.endedAtMs,
      eventTimes: probe.eventTimes,
      keepAliveTimes: probe.keepAliveTimes,
    },
    context.keepAliveMs,
  );
  const interval = formatMs(context.keepAliveMs);
  switch (verdict.status) {
    case "fail":
      return result(
        "keep-alive",
        "fail",
        `Expected a keep-alive (a ": ping" comment line) at least every ${interval}; the stream was silent for ${formatMs(verdict.longestSilenceMs)}, long enough for proxies to drop it.`,
      );
    case "pass":
      return result(
        "keep-alive",
        "pass",
        `The bot paused ${formatMs(verdict.longestPauseMs)} between events and kept the stream alive (longest silence ${formatMs(verdict.longestSilenceMs)}).`,
      );
    case "skip":
      return result(
        "keep-alive",
        "skip",
        `The bot never paused for ${interval} (longest pause ${formatMs(verdict.longestPauseMs)}), so there was no silence to keep alive.`,
      );
  }
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}
