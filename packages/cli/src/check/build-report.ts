import { CHECK_STATUSES, type CheckReport, type CheckResult, type CheckStatus } from "./check-result.js";
import { maskKey, redactKey } from "./redact.js";

/** What a report is made of. */
export interface ReportParts {
  version: string;
  url: string;
  accessKey: string | null;
  startedAt: Date;
  durationMs: number;
  results: readonly CheckResult[];
  /** Why the checks could not run, when they could not. */
  error?: string;
}

/**
 * The report of a run, counted, with the access key masked wherever it appears (headers, bodies the
 * bot echoed, messages).
 * @example
 * const report = buildReport({ version: "0.1.0", url, accessKey, startedAt, durationMs, results });
 * report.ok; // true when nothing failed
 */
export function buildReport(parts: ReportParts): CheckReport {
  const counts = Object.fromEntries(CHECK_STATUSES.map((status) => [status, 0])) as Record<
    CheckStatus,
    number
  >;
  for (const result of parts.results) counts[result.status]++;
  const report: CheckReport = {
    tool: "poekit check",
    version: parts.version,
    url: parts.url,
    accessKey: parts.accessKey === null ? null : maskKey(parts.accessKey),
    startedAt: parts.startedAt.toISOString(),
    durationMs: Math.round(parts.durationMs),
    ok: counts.fail === 0 && parts.error === undefined,
    counts,
    ...(parts.error !== undefined && { error: parts.error }),
    checks: [...parts.results],
  };
  return redactKey(report, parts.accessKey);
}
