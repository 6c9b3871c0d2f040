import { MAX_CONVERSATION_MESSAGES } from "poekit/protocol";
import { judgeAgainstBaseline } from "./baseline-comparison.js";
import type { CheckUnit } from "./check-context.js";
import { attachmentQuery, longHistoryQuery } from "./query-bodies.js";

/**
 * `long-history` and `attachment`: inputs Poe sends every day that a bot must still answer. What goes
 * wrong only with them fails; what goes wrong with every query is left to the query checks.
 * @example
 * const [result] = await robustnessChecks[0].run(context);
 */
export const robustnessChecks: readonly CheckUnit[] = [
  {
    ids: ["long-history"],
    usesBaseline: true,
    async run(context) {
      const baseline = await context.baseline();
      const probe = await context.query(longHistoryQuery());
      return [
        judgeAgainstBaseline("long-history", probe, baseline, {
          severity: "fail",
          situation: `With ${MAX_CONVERSATION_MESSAGES.toLocaleString("en-US")} messages of history`,
          errorAcceptable: false,
        }),
      ];
    },
  },
  {
    ids: ["attachment"],
    usesBaseline: true,
    async run(context) {
      const baseline = await context.baseline();
      const probe = await context.query(attachmentQuery(await context.attachmentUrl()));
      return [
        judgeAgainstBaseline("attachment", probe, baseline, {
          severity: "fail",
          situation: "With a text file attached to the message",
          errorAcceptable: true,
        }),
      ];
    },
  },
];
