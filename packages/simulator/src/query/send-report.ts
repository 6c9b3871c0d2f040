import { botRequestHeaders, type ExchangeTarget, type FetchLike, fetchFor } from "./target.js";
import { describeFailure } from "./violation-messages.js";

/** What became of a report: the bot's HTTP status, or why no answer came. */
export type ReportAnswer = { status: number } | { failure: string };

/** Options of {@link sendReport}. */
export interface SendReportOptions {
  /** How long the bot has to answer. */
  timeoutMs: number;
  /** Gives up at once when aborted. */
  signal?: AbortSignal;
  /** Default: the target's fetch, else the global one. */
  fetch?: FetchLike;
}

/**
 * POSTs a request whose answer Poe ignores (`report_error`, `report_feedback`, `report_reaction`) to
 * the bot, with its key. Never throws, and never waits longer than the timeout, even for a fetch that
 * ignores its signal (an in-process bot may); the answer's body is not read.
 *
 * @example
 * const answer = await sendReport(target, { version: "1.2", type: "report_reaction", ... }, { timeoutMs: 5_000 });
 */
export async function sendReport(
  target: ExchangeTarget,
  body: unknown,
  options: SendReportOptions,
): Promise<ReportAnswer> {
  const controller = new AbortController();
  const giveUp = () => controller.abort();
  options.signal?.addEventListener("abort", giveUp, { once: true });
  if (options.signal?.aborted) giveUp();
  const timer = setTimeout(giveUp, options.timeoutMs);
  const gaveUp = new Promise<null>((resolve) =>
    controller.signal.addEventListener("abort", () => resolve(null), { once: true }),
  );
  const fetchImpl = options.fetch ?? fetchFor(target);
  const request = Promise.resolve().then(() =>
    fetchImpl(target.url, {
      method: "POST",
      headers: botRequestHeaders(target, "application/json"),
      body: JSON.stringify(body),
      signal: controller.signal,
    }),
  );
  try {
    const response = await Promise.race([request, gaveUp]);
    if (response === null) {
      // An answer that turns up after all must not hold the connection.
      request.then((late) => late.body?.cancel().catch(() => undefined)).catch(() => undefined);
      return {
        failure: options.signal?.aborted ? "cancelled" : `no answer within ${options.timeoutMs / 1000} s`,
      };
    }
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    return { failure: describeFailure(error) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", giveUp);
    controller.abort();
  }
}
