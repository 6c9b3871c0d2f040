import { PROTOCOL_VERSION } from "poekit/protocol";
import type { CheckContext, CheckUnit } from "./check-context.js";
import type { CheckResult } from "./check-result.js";
import { makeResult } from "./make-result.js";
import { errorReport, feedbackReport, reactionReport } from "./query-bodies.js";

/** A request type no version of the protocol has. */
const UNKNOWN_TYPE = "poekit_check_future_type";

/**
 * The answer to a report (or to an unknown feedback type) judged: Poe ignores the body, so 200 or 501
 * pass and anything else is a warning. `what` names the request as a message's subject.
 * @example
 * await judgeReport(context, "report-error", "The report_error request", errorReport());
 */
export async function judgeReport(
  context: CheckContext,
  id: string,
  what: string,
  body: Record<string, unknown>,
): Promise<CheckResult> {
  const probe = await context.post(body);
  const { status } = probe;
  const subject = `${what.charAt(0).toLowerCase()}${what.slice(1)}`;
  if (status === null) {
    return makeResult(id, "warn", `Expected 200; ${subject} got no answer (${probe.response.error}).`, probe);
  }
  if (status >= 200 && status <= 299) return makeResult(id, "pass", `${what} got ${status}.`, probe);
  if (status === 501) {
    return makeResult(id, "pass", `${what} got 501: the bot does not use it, which Poe accepts.`, probe);
  }
  return makeResult(
    id,
    "warn",
    `Expected 200; ${subject} got HTTP ${status} (Poe ignores the answer, so this shows only in the bot's logs).`,
    probe,
  );
}

/**
 * `report-feedback`, `report-reaction`, `report-error` and `unknown-type`.
 * @example
 * const [result] = await requestTypeChecks[3].run(context);
 */
export const requestTypeChecks: readonly CheckUnit[] = [
  {
    ids: ["report-feedback"],
    run: async (context) => [
      await judgeReport(context, "report-feedback", "The report_feedback request", feedbackReport("like")),
    ],
  },
  {
    ids: ["report-reaction"],
    run: async (context) => [
      await judgeReport(context, "report-reaction", "The report_reaction request", reactionReport()),
    ],
  },
  {
    ids: ["report-error"],
    run: async (context) => [
      await judgeReport(context, "report-error", "The report_error request", errorReport()),
    ],
  },
  {
    ids: ["unknown-type"],
    async run(context) {
      const probe = await context.post({ version: PROTOCOL_VERSION, type: UNKNOWN_TYPE });
      const { status } = probe;
      if (status === 501) {
        return [makeResult("unknown-type", "pass", `The type "${UNKNOWN_TYPE}" got 501.`, probe)];
      }
      const got = status === null ? `no answer (${probe.response.error})` : `HTTP ${status}`;
      return [
        makeResult(
          "unknown-type",
          "warn",
          `Expected 501 Not Implemented for the unknown type "${UNKNOWN_TYPE}"; got ${got}.`,
          probe,
        ),
      ];
    },
  },
];
