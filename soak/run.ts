// `npm run soak`: holds 1,000 streaming conversations open while 200,000 short queries go through the
// SDK's server (run()), then the same through the simulator's bot query API, on 127.0.0.1 only; then
// the bad-input properties with 100,000 cases each. Each server runs in a process of its own, which
// reports its own memory and handles. Prints every figure against its target and exits 1 when one
// is missed. Bounded: about five minutes.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { buildIfStale, REPO_ROOT } from "../packages/cli/src/test-support/build-if-stale.js";
import { checksOf, failuresOf, formatTable } from "./lib/report.js";
import { type SoakSizes, soakTarget } from "./lib/soak.js";

/** What the issue asks of the SDK's server. */
const SDK_SIZES: SoakSizes = {
  conversations: 1_000,
  minTurns: 2,
  // A long answer (19 s), one piece a second: what holds a connection open, not what loads the CPU;
  // long enough for all 1,000 to be open at once even while a busy server is slow to accept them.
  events: 20,
  intervalMs: 1_000,
  queries: 200_000,
  warmupQueries: 20_000,
  connections: 32,
};

/**
 * The simulator records every exchange and each of its events in SQLite, several writes a query: at
 * the 300 to 550 queries a second it manages here, 200,000 would take 6 to 11 minutes, so it gets a
 * twentieth of them, with the same 1,000 conversations. Its warm-up is relatively larger: SQLite's
 * memory takes 4,000 queries or so to reach its level.
 */
const SIMULATOR_SIZES: SoakSizes = { ...SDK_SIZES, queries: 10_000, warmupQueries: 4_000 };

/** How long the whole soak should take on the two-core machines CI runs on. */
const BOUND_MINUTES = 5;

/** The bad-input properties' cases in the soak run (2,000 in `npm test`). */
const FUZZ_RUNS = 100_000;

const started = performance.now();
buildIfStale();
let missed = 0;

for (const [target, title, sizes] of [
  ["sdk", "SDK server (run() from poekit/node)", SDK_SIZES],
  ["simulator", "simulator (bot query API, /bot/<name>)", SIMULATOR_SIZES],
] as const) {
  console.log(`\npoekit soak: ${title}`);
  if (sizes.queries < SDK_SIZES.queries) {
    console.log(
      `  scaled down to ${sizes.queries.toLocaleString("en-US")} short queries: every query is stored in SQLite (see soak/run.ts)`,
    );
  }
  const targetStarted = performance.now();
  const figures = await soakTarget(target, sizes, console.log);
  const checks = checksOf(figures);
  console.log(formatTable(checks));
  if (target === "simulator") {
    const rate = figures.run.queries.tried / (figures.run.queries.durationMs / 1000);
    console.log(
      `  at ${Math.round(rate)} queries/s, ${SDK_SIZES.queries.toLocaleString("en-US")} queries would take ${(SDK_SIZES.queries / rate / 60).toFixed(1)} min through the simulator`,
    );
  }
  console.log(`  took ${seconds(targetStarted)}`);
  const failed = checks.filter((check) => check.pass === false).length;
  if (failed > 0) for (const failure of failuresOf(figures)) console.log(`    ${failure}`);
  missed += failed;
}

const fuzzFiles = findFuzzTests();
console.log(`\npoekit soak: bad input, ${FUZZ_RUNS.toLocaleString("en-US")} cases per property`);
if (fuzzFiles.length === 0) {
  console.log("  ✗ no *.fuzz.test.ts files found");
  missed++;
} else {
  const fuzzStarted = performance.now();
  try {
    execFileSync(
      process.execPath,
      // The default reporter only: the configured JSON report belongs to `npm test`.
      [
        path.join(REPO_ROOT, "node_modules/vitest/vitest.mjs"),
        "run",
        "--reporter=default",
        // One file per core at once (vitest keeps one core free by default): the files are
        // independent and CPU-bound, and the step is most of the soak's time.
        `--maxWorkers=${Math.max(2, availableParallelism())}`,
        ...fuzzFiles,
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, POEKIT_FUZZ_RUNS: String(FUZZ_RUNS) },
        stdio: "inherit",
      },
    );
    console.log(`  ✓ ${fuzzFiles.length} files passed, in ${seconds(fuzzStarted)}`);
  } catch {
    console.log(`  ✗ the bad-input properties failed, after ${seconds(fuzzStarted)}`);
    missed++;
  }
}

const minutes = (performance.now() - started) / 60_000;
console.log(
  `\npoekit soak: ${missed === 0 ? "every target met" : `${missed} target(s) missed`} in ${minutes.toFixed(1)} min` +
    // The bound is the run's own, not a target: a slower machine takes longer without anything wrong.
    (minutes <= BOUND_MINUTES
      ? ` (within its ${BOUND_MINUTES}-minute bound)`
      : ` (over its ${BOUND_MINUTES}-minute bound on this machine)`),
);
process.exit(missed === 0 ? 0 : 1);

function seconds(since: number): string {
  return `${Math.round((performance.now() - since) / 1000)} s`;
}

/** The bad-input tests of every package, as paths from the repository root. */
function findFuzzTests(): string[] {
  return readdirSync(path.join(REPO_ROOT, "packages"))
    .flatMap((name) => {
      const src = path.join("packages", name, "src");
      try {
        return readdirSync(path.join(REPO_ROOT, src), { recursive: true, encoding: "utf8" }).map((file) =>
          path.join(src, file),
        );
      } catch {
        return [];
      }
    })
    .filter((file) => file.endsWith(".fuzz.test.ts"))
    .sort();
}
