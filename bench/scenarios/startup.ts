// Start-up: from spawn to the first answered query, for `poekit serve` of a .js bot against
// `node raw-echo.mjs`; for the record also `poekit serve` of the .ts example (Node's type stripping) and
// run() called from a plain script, which tells the SDK's share from the command's.
// Target: the .js figure ≤ 1.5 × raw-echo.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { askOnce, freePort } from "../lib/command-server.js";
import { ECHO_EXAMPLE_TS, POEKIT_CLI, RAW_ECHO } from "../lib/paths.js";
import { childEnv, collectTail } from "../lib/processes.js";
import { queryBody } from "../lib/query.js";
import { progress, type Scenario } from "../lib/scenario.js";
import { median } from "../lib/stats.js";
import type { Row } from "../lib/verdict.js";

/** Milliseconds from spawning `args` to its first complete answer on `port`. */
async function timeToFirstAnswer(args: string[], port: number): Promise<number> {
  const body = queryBody("Are you up?");
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], env: childEnv() });
  const stderr = collectTail(child);
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  try {
    for (;;) {
      if (await askOnce(port, body)) return performance.now() - started;
      if (exited) throw new Error(`${args.join(" ")} exited before answering: ${stderr()}`);
      if (performance.now() - started > 20_000)
        throw new Error(`${args.join(" ")} did not answer within 20 s`);
      await sleep(2);
    }
  } finally {
    if (!exited) {
      const gone = once(child, "exit");
      child.kill("SIGKILL");
      await gone;
    }
  }
}

const startup: Scenario = async ({ profile, programs }) => {
  const variants = [
    { name: "raw-echo", args: (port: number) => [RAW_ECHO, "--port", String(port)] },
    {
      name: "poekit serve .js",
      args: (port: number) => [POEKIT_CLI, "serve", programs.echoBotJs, ...serveFlags(port)],
    },
    {
      name: "poekit serve .ts",
      args: (port: number) => [POEKIT_CLI, "serve", ECHO_EXAMPLE_TS, ...serveFlags(port)],
    },
    {
      name: "run() in a script",
      args: (port: number) => [programs.poekitServer, "--mode", "echo", "--port", String(port)],
    },
  ];
  const times = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
  // The first round warms the disk cache and is not counted.
  for (let round = 0; round <= profile.startup.runs; round++) {
    for (const variant of variants) {
      const port = await freePort();
      const ms = await timeToFirstAnswer(variant.args(port), port);
      if (round > 0) times.get(variant.name)?.push(ms);
    }
  }
  const [raw, js, ts, script] = variants.map((variant) => median(times.get(variant.name) ?? [])) as [
    number,
    number,
    number,
    number,
  ];
  progress(
    "startup",
    `raw-echo ${raw.toFixed(0)} ms, poekit serve .js ${js.toFixed(0)} ms, .ts ${ts.toFixed(0)} ms, run() ${script.toFixed(0)} ms`,
  );
  const scenario = "start-up: spawn → first answered query";
  const rows: Row[] = [
    {
      scenario,
      label: "poekit serve, .js bot",
      unit: "ms",
      figure: js,
      baseline: raw,
      target: { kind: "ratio-at-most", value: 1.5 },
      note: `baseline: node raw-echo.mjs; median of ${profile.startup.runs}`,
    },
    {
      scenario,
      label: "poekit serve, .ts bot (type stripping)",
      unit: "ms",
      figure: ts,
      baseline: raw,
      note: "reported, no target",
    },
    {
      scenario,
      label: "run() in a .js script, no CLI",
      unit: "ms",
      figure: script,
      baseline: raw,
      note: "reported, no target: the SDK's share of the start-up, without the command's",
    },
  ];
  return { rows, details: Object.fromEntries(times) };
};

function serveFlags(port: number): string[] {
  return ["--port", String(port), "--host", "127.0.0.1", "--allow-without-key", "--no-sync-settings"];
}

export default startup;
