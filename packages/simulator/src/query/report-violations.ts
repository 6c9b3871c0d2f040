import { PROTOCOL_VERSION } from "poekit/protocol";
import type { Violation } from "../model.js";
import { sendReport } from "./send-report.js";
import type { ExchangeTarget, FetchLike } from "./target.js";

/** Reports sent for one exchange at most: a badly broken bot gets the first problems, not a flood. */
export const MAX_REPORTS_PER_EXCHANGE = 10;
/** How long one report may take; only its delivery matters, not the answer. */
export const REPORT_TIMEOUT_MS = 5_000;

/** Options of {@link reportViolations}. */
export interface ReportViolationsOptions {
  target: ExchangeTarget;
  violations: readonly Violation[];
  /** The bot message the exchange was for (`message_id` of the query), if any. */
  messageId: string | null;
  exchangeId: string;
  /**
   * The exchange's `httpStatus`. When null no response ever came, so a `connection-failed` then
   * happened before the bot could hear anything and is not reported. Omitted: everything is reported.
   */
  httpStatus?: number | null;
  /** Default: the target's fetch, else the global one. */
  fetch?: FetchLike;
  /** Stops sending further reports. */
  signal?: AbortSignal;
}

/**
 * Tells the bot what it did wrong, as Poe does: one `report_error` request per violation (at most
 * {@link MAX_REPORTS_PER_EXCHANGE}), in the order found, to the bot's URL with its access key.
 * Failures are ignored, as Poe ignores them. Resolves with how many reports the bot accepted (2xx).
 * @example
 * const outcome = await runExchange({ target, body, observer });
 * await reportViolations({ target, violations: outcome.violations, httpStatus: outcome.httpStatus, messageId, exchangeId });
 */
export async function reportViolations(options: ReportViolationsOptions): Promise<number> {
  const unreachable = options.httpStatus === null;
  const reports = options.violations
    .filter((violation) => !(unreachable && violation.rule === "connection-failed"))
    .slice(0, MAX_REPORTS_PER_EXCHANGE);
  let delivered = 0;
  for (const violation of reports) {
    if (options.signal?.aborted) break;
    const body = {
      version: PROTOCOL_VERSION,
      type: "report_error",
      message: violation.message,
      metadata: {
        rule: violation.rule,
        message_id: options.messageId,
        exchange_id: options.exchangeId,
        at_ms: violation.atMs,
      },
    };
    const answer = await sendReport(options.target, body, {
      timeoutMs: REPORT_TIMEOUT_MS,
      signal: options.signal,
      fetch: options.fetch,
    });
    if ("status" in answer && answer.status >= 200 && answer.status < 300) delivered++;
  }
  return delivered;
}
