import { judgeAgainstBaseline } from "./baseline-comparison.js";
import type { CheckContext, CheckUnit } from "./check-context.js";
import type { CheckResult } from "./check-result.js";
import {
  feedbackReport,
  unknownContentTypeQuery,
  unknownFieldsQuery,
  unknownRoleQuery,
} from "./query-bodies.js";
import { judgeReport } from "./request-type-checks.js";

/**
 * Forward compatibility: what Poe may send one day (unknown keys, roles, content types, feedback
 * types) must not break the bot. Poe does not send these today, so a bot that breaks only gets a
 * warning.
 * @example
 * const [result] = await compatChecks[1].run(context);
 */
export const compatChecks: readonly CheckUnit[] = [
  queryUnit("unknown-fields", "With unknown keys in the request and its message", unknownFieldsQuery),
  queryUnit("unknown-role", 'With a message whose role is "narrator"', unknownRoleQuery),
  queryUnit(
    "unknown-content-type",
    'With a message whose content_type is "text/x-poekit-future"',
    unknownContentTypeQuery,
  ),
  {
    ids: ["unknown-feedback-type"],
    run: async (context) => [
      await judgeReport(
        context,
        "unknown-feedback-type",
        'A report_feedback with feedback_type "poekit_check_future_feedback"',
        feedbackReport("poekit_check_future_feedback"),
      ),
    ],
  },
];

function queryUnit(id: string, situation: string, body: () => Record<string, unknown>): CheckUnit {
  return {
    ids: [id],
    usesBaseline: true,
    async run(context: CheckContext): Promise<CheckResult[]> {
      const baseline = await context.baseline();
      const probe = await context.query(body());
      return [
        judgeAgainstBaseline(id, probe, baseline, { severity: "warn", situation, errorAcceptable: false }),
      ];
    },
  };
}
