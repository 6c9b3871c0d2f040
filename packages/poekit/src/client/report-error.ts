import { startDeadline } from "../core/deadline.js";
import type { FetchLike } from "../core/poe-api/transport.js";
import { PROTOCOL_VERSION } from "../protocol/version.js";
import type { Violation } from "./response-reader.js";

/** How long a report may take; the answer is not needed, only the delivery. */
const REPORT_TIMEOUT_MS = 5_000;

/**
 * Tells a bot that its response broke the protocol, as Poe does: a `report_error` request to the
 * same endpoint. Failures are passed to `onFailure` and otherwise ignored; the caller's error (if
 * any) is what matters.
 */
export async function sendReportError(options: {
  fetch: FetchLike;
  url: string;
  headers: Record<string, string>;
  violation: Violation;
  /** The caller's signal: a caller who gives up does not wait for the report either. */
  signal: AbortSignal | undefined;
  onFailure: (error: unknown) => void;
}): Promise<void> {
  const deadline = startDeadline(REPORT_TIMEOUT_MS, options.signal);
  try {
    const response = await options.fetch(options.url, {
      method: "POST",
      headers: { ...options.headers, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        version: PROTOCOL_VERSION,
        type: "report_error",
        message: options.violation.message,
        metadata: options.violation.metadata,
      }),
      signal: deadline.signal,
    });
    await response.body?.cancel();
  } catch (error) {
    options.onFailure(error);
  } finally {
    deadline.clear();
  }
}
