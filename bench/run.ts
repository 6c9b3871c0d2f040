// `npm run bench`: every scenario against its baseline, measured in the same run on 127.0.0.1.
//
//   npm run bench                    the full run (under 6 minutes)
//   npm run bench -- --quick         smaller and shorter (under 1 minute); also `npm run bench:quick`
//   npm run bench -- --only echo,client
//   npm run bench -- --streams 2000 --stream-seconds 10   size the open-streams scenario
//
// Each scenario runs in a process of its own and starts its servers and clients in further child
// processes, so a load generator never shares an event loop with the server it measures. Results go
// to bench/results/latest.json and bench/results/latest.md.
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildIfStale } from "../packages/cli/src/test-support/build-if-stale.js";
import { buildPrograms } from "./lib/build.js";
import { RESULTS_DIR } from "./lib/paths.js";
import { childEnv } from "./lib/processes.js";
import { profileFor } from "./lib/profile.js";
import { consoleTable, machine, markdownTable, tally } from "./lib/report.js";
import type { ScenarioContext, ScenarioResult } from "./lib/scenario.js";
import type { Row } from "./lib/verdict.js";
import { SCENARIOS } from "./scenarios/index.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    streams: { type: "string" },
    "stream-seconds": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(`npm run bench [-- --quick] [--only ${SCENARIOS.map((s) => s.name).join(",")}]
                [--streams N] [--stream-seconds S]`);
  process.exit(0);
}

const positive = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a whole number of at least 1.`);
  return value;
};
const profile = profileFor({
  quick: values.quick,
  streams: positive(values.streams, "--streams"),
  streamSeconds: positive(values["stream-seconds"], "--stream-seconds"),
});
const only = values.only?.split(",").map((name) => name.trim());
const unknown = only?.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `Unknown scenario(s): ${unknown.join(", ")}. Known: ${SCENARIOS.map((s) => s.name).join(", ")}.`,
  );
  process.exit(2);
}
const selected = SCENARIOS.filter((scenario) => !only || only.includes(scenario.name));

const started = performance.now();
const about = machine();
console.log(
  `poekit bench${profile.quick ? " (quick)" : ""}: Node ${about.node}, ${about.cpu} × ${about.cores}, ${about.platform}`,
);
if (buildIfStale()) {
  console.log(
    "Compiled the packages, or bundled them for Node (their builds were older than their sources).",
  );
}
const programs = await buildPrograms();
const context: ScenarioContext = { profile, programs };

const rows: Row[] = [];
const details: Record<string, unknown> = {};
const timings: Record<string, number> = {};
let crashed = 0;
for (const scenario of selected) {
  console.log(`\n${scenario.title} (${scenario.name})`);
  const scenarioStart = performance.now();
  try {
    const result = await runScenario(programs.scenarioChild, scenario.name, context);
    rows.push(...result.rows);
    details[scenario.name] = result.details;
  } catch (error) {
    crashed++;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`  ${scenario.name} failed: ${message}`);
    rows.push({
      scenario: scenario.title,
      label: "(could not run)",
      unit: "ms",
      figure: null,
      baseline: null,
      error: message.split("\n")[0] ?? message,
    });
  }
  timings[scenario.name] = Math.round(performance.now() - scenarioStart) / 1000;
  console.log(`  done in ${timings[scenario.name]} s`);
}

const totalSeconds = Math.round(performance.now() - started) / 1000;
const counts = tally(rows);
console.log(`\n${consoleTable(rows)}\n`);
console.log(
  `${counts.pass} ✓, ${counts.fail} ✗, ${counts.none} without a target; ${totalSeconds} s in all${profile.quick ? " (quick)" : ""}.`,
);

mkdirSync(RESULTS_DIR, { recursive: true });
const report = { ...about, quick: profile.quick, totalSeconds, timings, profile, rows, details };
writeFileSync(path.join(RESULTS_DIR, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
const heading = `Run of ${about.date.slice(0, 10)} on Node ${about.node}, ${about.cpu} (${about.cores} cores), ${about.platform}${profile.quick ? ", --quick" : ""}; ${totalSeconds} s.`;
writeFileSync(path.join(RESULTS_DIR, "latest.md"), `${heading}\n\n${markdownTable(rows)}`);
console.log(`Wrote ${path.relative(process.cwd(), RESULTS_DIR)}/latest.json and latest.md.`);
// A missed target is a result; a scenario that could not run at all is a failure of the bench.
process.exitCode = crashed > 0 ? 1 : 0;

function runScenario(file: string, name: string, scenarioContext: ScenarioContext): Promise<ScenarioResult> {
  const child = fork(file, [name, JSON.stringify(scenarioContext)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: [],
    env: childEnv(),
  });
  // Generous: the open-streams scenario alone may take up to twice (2 × its seconds + 60 s).
  const limitMs = ((profile.quick ? 120 : 360) + profile.openStreams.seconds * 4) * 1000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(() => reject(new Error(`did not finish within ${limitMs / 1000} s`)));
    }, limitMs);
    function finish(settle: () => void) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settle();
    }
    child.on("message", (message: { type: string; result?: ScenarioResult; message?: string }) => {
      // A scenario that left something running is not waited for once it has answered.
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      if (message.type === "result" && message.result)
        finish(() => resolve(message.result as ScenarioResult));
      else if (message.type === "error") finish(() => reject(new Error(message.message)));
    });
    child.on("exit", (code, signal) =>
      finish(() => reject(new Error(`its process exited (${signal ?? code}) without a result`))),
    );
  });
}
