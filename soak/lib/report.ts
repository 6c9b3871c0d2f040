import type { TargetFigures } from "./soak.js";

/** One line of the soak's table: a figure, and the target it must meet when it has one. */
export interface Check {
  /** What is checked, for code: `rss` is the one target too noisy for unit tests on shared machines. */
  id: string;
  figure: string;
  measured: string;
  target: string;
  /** Undefined for a figure shown for information only. */
  pass?: boolean;
}

/** How much RSS may grow from after the warm-up to after the run. */
export const MAX_RSS_GROWTH = 0.1;

/**
 * The figures of one target as checks: every target of the soak, then figures for information.
 * @example
 * const failed = checksOf(figures).some((check) => check.pass === false);
 */
export function checksOf(figures: TargetFigures): Check[] {
  const { sizes, warmup, run, afterWarmup, afterRun } = figures;
  const conversations = [warmup.conversations, run.conversations];
  const queries = [warmup.queries, run.queries];
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const turnsTried = sum(conversations.map((result) => result.tried));
  const turnsOk = sum(conversations.map((result) => result.ok));
  const queriesTried = sum(queries.map((result) => result.tried));
  const queriesOk = sum(queries.map((result) => result.ok));
  const non2xx = sum([...conversations, ...queries].map((result) => result.non2xx));
  const lostDone = sum([...conversations, ...queries].map((result) => result.lostDone));
  const otherFailures =
    sum([...conversations, ...queries].map((result) => result.errors)) +
    sum(conversations.map((result) => result.wrongText));
  const rssBefore = afterWarmup.stats.rss;
  const rssAfter = afterRun.stats.rss;
  const growth = rssAfter / rssBefore - 1;
  const fullTurns = sizes.conversations - run.conversations.short;
  const queryRate = run.queries.tried / (run.queries.durationMs / 1000);
  return [
    {
      id: "conversations",
      figure: "streaming conversations in progress at once (peak)",
      measured: `${count(run.conversations.peakOpen)} of ${count(sizes.conversations)}`,
      target: "all",
      pass: run.conversations.peakOpen === sizes.conversations,
    },
    {
      id: "turns-taken",
      figure: `conversations that took ≥ ${sizes.minTurns} turns`,
      measured: `${count(fullTurns)} of ${count(sizes.conversations)}`,
      target: "all",
      pass: fullTurns === sizes.conversations,
    },
    {
      id: "turns",
      figure: "streamed answers complete (every event, then done)",
      measured: `${count(turnsOk)} of ${count(turnsTried)}`,
      target: "all",
      pass: turnsOk === turnsTried,
    },
    {
      id: "queries",
      figure: "short queries complete (answer, then done)",
      measured: `${count(queriesOk)} of ${count(queriesTried)}`,
      target: "all",
      pass: queriesOk === queriesTried,
    },
    {
      id: "non2xx",
      figure: "non-2xx answers to valid requests",
      measured: count(non2xx),
      target: "0",
      pass: non2xx === 0,
    },
    {
      id: "lostDone",
      figure: "lost done (no done, or events after it)",
      measured: count(lostDone),
      target: "0",
      pass: lostDone === 0,
    },
    {
      id: "failures",
      figure: "connection errors and wrong answers",
      measured: count(otherFailures),
      target: "0",
      pass: otherFailures === 0,
    },
    {
      id: "rss",
      figure: "server RSS: after warm-up → after run",
      measured: `${megabytes(rssBefore)} → ${megabytes(rssAfter)} (${percent(growth)})`,
      target: `≤ ${percent(MAX_RSS_GROWTH)}`,
      pass: growth <= MAX_RSS_GROWTH,
    },
    {
      id: "handles",
      figure: "server handles: after warm-up → after run",
      measured: `${handles(afterWarmup.stats.resources)} → ${handles(afterRun.stats.resources)}`,
      target: "back to baseline",
      pass: afterWarmup.settled && afterRun.settled,
    },
    {
      id: "heap",
      figure: "server heap used: after warm-up → after run",
      measured: `${megabytes(afterWarmup.stats.heapUsed)} → ${megabytes(afterRun.stats.heapUsed)}`,
      target: "",
    },
    {
      id: "rate",
      figure: "run: duration, short queries per second",
      measured: `${(run.durationMs / 1000).toFixed(1)} s, ${count(Math.round(queryRate))}/s`,
      target: "",
    },
  ];
}

/**
 * The checks as a table, one line each, ✓ or ✗ for those with a target.
 * @example
 * console.log(formatTable(checksOf(figures)));
 */
export function formatTable(checks: readonly Check[]): string {
  const widths = [
    Math.max(...checks.map((check) => check.figure.length)),
    Math.max(...checks.map((check) => check.measured.length)),
    Math.max(...checks.map((check) => check.target.length)),
  ];
  return checks
    .map((check) => {
      const mark = check.pass === undefined ? " " : check.pass ? "✓" : "✗";
      return `  ${mark} ${check.figure.padEnd(widths[0] as number)}  ${check.measured.padEnd(widths[1] as number)}  ${check.target}`.trimEnd();
    })
    .join("\n");
}

/**
 * The first failures the conversations saw, for a run that missed a target.
 * @example
 * for (const failure of failuresOf(figures)) console.log(failure);
 */
export function failuresOf(figures: TargetFigures): string[] {
  const { warmup, run } = figures;
  return [warmup.conversations, run.conversations].flatMap((result) => result.failures);
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function percent(fraction: number): string {
  return `${fraction >= 0 ? "+" : ""}${(fraction * 100).toFixed(1)}%`;
}

function handles(resources: Record<string, number>): string {
  const entries = Object.entries(resources).sort(([a], [b]) => a.localeCompare(b));
  return entries.map(([kind, n]) => `${kind} ${n}`).join(", ") || "none";
}
