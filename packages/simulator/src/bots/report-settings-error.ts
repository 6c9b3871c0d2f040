import { PROTOCOL_VERSION } from "poekit/protocol";
import { REPORT_TIMEOUT_MS } from "../query/report-violations.js";
import { sendReport } from "../query/send-report.js";
import type { ExchangeTarget } from "../query/target.js";

/**
 * Tells the bot that its answer to a `settings` request was of the wrong shape, as Poe tells a bot
 * that misused the protocol: one `report_error` with the sentence shown beside the bot. Failures are
 * ignored, as Poe ignores them. Resolves with whether the bot took the report (2xx).
 *
 * @example
 * await reportSettingsError(target, "The settings answer is not JSON: …", signal);
 */
export async function reportSettingsError(
  target: ExchangeTarget,
  message: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const body = {
    version: PROTOCOL_VERSION,
    type: "report_error",
    message,
    metadata: { request_type: "settings" },
  };
  const answer = await sendReport(target, body, { timeoutMs: REPORT_TIMEOUT_MS, signal });
  return "status" in answer && answer.status >= 200 && answer.status < 300;
}
