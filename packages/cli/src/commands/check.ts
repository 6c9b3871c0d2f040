import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { parseBotUrl } from "../bot-url.js";
import { buildReport } from "../check/build-report.js";
import { selectChecks } from "../check/catalog.js";
import type { CheckTuning } from "../check/check-context.js";
import type { CheckReport } from "../check/check-result.js";
import { writeHumanReport } from "../check/human-report.js";
import { runChecks } from "../check/run-checks.js";
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

const EXAMPLES = `
Examples:
  $ poekit check http://127.0.0.1:8080/ --access-key <key>
      every check against a bot served locally (the key is never printed)
  $ POE_ACCESS_KEY=<key> poekit check https://my-bot.example.com/poe --json > check.json
      in CI: one JSON document on stdout; the exit code is 1 when a check failed
  $ poekit check http://127.0.0.1:8080/ --only auth,query-done
      only the authentication checks and query-done

Checks pass, warn (works on Poe, but deviates from the protocol or good practice), fail (Poe would
show an error, or the bot is insecure) or are skipped. Every check is described in docs/check.md.`;

/**
 * Adds `poekit check <url>` to the program.
 * @example
 * addCheckCommand(new Command("poekit"));
 */
export function addCheckCommand(program: Command): void {
  program
    .command("check")
    .summary("check a bot server, in any language, against the Poe protocol")
    .description(
      "Send real requests to a bot server as Poe does and grade every answer against the protocol: the page, settings, reports, authentication, the query's event stream and its timings, long conversations, attachments, forward compatibility and malformed bodies.",
    )
    .argument("<url>", "the bot's URL, e.g. http://127.0.0.1:8080/ (the path matters with several bots)")
    .option("--access-key <key>", "the bot's access key (default: $POE_ACCESS_KEY); never printed")
    .option("--json", "print one JSON document for CI instead of the report")
    .option(
      "--only <names>",
      "run only these checks or groups (repeatable, or comma-separated)",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option("--timeout <seconds>", "how long a query may take to finish (default: Poe's limit, 600)")
    .addHelpText("after", EXAMPLES)
    .action(async (url: string, flags: CheckFlags) => {
      const code = await runCheck(url, flags, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      });
      // main() reports only usage errors and bugs; failed checks set the code here.
      if (code !== 0) process.exitCode = code;
    });
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
    version: readVersion(),
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

function readVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const version =
    typeof manifest === "object" && manifest !== null && "version" in manifest ? manifest.version : undefined;
  return typeof version === "string" ? version : "unknown";
}
