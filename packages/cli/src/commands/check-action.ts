import { parseBotUrl } from "../bot-url.js";
import { buildReport } from "../check/build-report.js";
import { selectChecks } from "../check/catalog.js";
import type { CheckTuning } from "../check/check-context.js";
import type { CheckReport } from "../check/check-result.js";
import { writeHumanReport } from "../check/human-report.js";
import { runChecks } from "../check/run-checks.js";
import { cliVersion } from "../package-root.js";
import { startProgress } from "../progress.js";
import { colorsFor, type OutputStream } from "../terminal.js";
import { UserError } from "../user-error.js";

/** The flags of `poekit check`, as commander parses them. */
export interface CheckFlags {
  accessKey?: string;
  json?: boolean;
  /** Check ids or groups, each flag one name or several comma-separated. */
  only?: string[];
  /** Seconds a query may take to finish; default Poe's 600. */
  timeout?: string;
}

/** Where `poekit check` writes and what it reads; the process's, or a test's. */
export interface CheckIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
}

/** The exit code when a check failed or the bot could not be reached. */
const FAILURE_EXIT_CODE = 1;

/**
 * What `poekit check` does once commander has parsed its command line: checks the bot, writes the
 * report to stdout, and sets exit code 1 when a check failed.
 * @example
 * await checkAction("http://127.0.0.1:8080/", { json: true });
 */
export async function checkAction(url: string, flags: CheckFlags): Promise<void> {
  const code = await runCheck(url, flags, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  // main() reports only usage errors and bugs; failed checks set the code here.
  if (code !== 0) process.exitCode = code;
}

/**
 * Runs `poekit check` against the bot at `url` and resolves with the exit code: 0 when no check
 * failed, 1 when one did or the bot could not be reached. Usage mistakes (a bad URL, an unknown
 * `--only` name, a bad `--timeout`, a bot that refuses every request for want of its key) are
 * {@link UserError}s (exit code 2). `tuning` lowers Poe's limits in tests.
 * @example
 * const code = await runCheck("http://127.0.0.1:8080/", { json: true }, { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function runCheck(
  url: string,
  flags: CheckFlags,
  io: CheckIO,
  tuning: CheckTuning = {},
): Promise<number> {
  const botUrl = parseBotUrl(url).href;
  const selected = selectChecks(flags.only ?? []);
  const limits = { ...tuning.limits };
  if (flags.timeout !== undefined) limits.totalMs = parseTimeout(flags.timeout);
  const accessKey = flags.accessKey || io.env.POE_ACCESS_KEY || null;

  const startedAt = new Date();
  const started = performance.now();
  const progress = startProgress(`Checking ${botUrl}`, { stream: io.stderr, env: io.env });
  let run: Awaited<ReturnType<typeof runChecks>>;
  try {
    run = await runChecks({
      url: botUrl,
      accessKey,
      selected,
      tuning: { ...tuning, limits },
      onProgress: (finished, total) => progress.update(`Checking ${botUrl} (${finished}/${total})`),
    });
  } finally {
    progress.stop();
  }
  if (!run.ok && run.kind === "refused") throw new UserError(run.message);

  const report = buildReport({
    version: cliVersion(),
    url: botUrl,
    accessKey,
    startedAt,
    durationMs: performance.now() - started,
    results: run.ok ? run.results : [],
    ...(!run.ok && { error: run.message }),
  });
  if (flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (report.error !== undefined) {
    const colors = colorsFor(io.stderr, io.env);
    io.stderr.write(`poekit: ${colors.red("error")}: ${report.error}\n`);
    return FAILURE_EXIT_CODE;
  }
  if (!flags.json) writeHumanReport(report, io.stdout, io.env);
  return exitCodeOf(report);
}

function exitCodeOf(report: CheckReport): number {
  return report.counts.fail > 0 ? FAILURE_EXIT_CODE : 0;
}

function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new UserError(
      `--timeout must be a number of seconds above 0 (at most 86400), got ${JSON.stringify(value)}.`,
    );
  }
  return Math.round(seconds * 1000);
}
