// Through the simulator: time to the first text event of an echo query sent to the simulator's bot
// query API (`POST /bot/<name>`, as a bot calling another bot does), against the same query sent
// straight to the bot; for the record also through a bare node:http proxy, the cost of one more hop.
// The simulator (on an in-memory database) and the proxy run in this process; the bot is run()
// serving examples/echo in a process of its own, and the client one more.
// Target: p50 overhead ≤ 2 ms over the direct call.
import { startPassThroughProxy } from "../lib/pass-through-proxy.js";
import { runJsonProgram, startServer } from "../lib/processes.js";
import { progress, type Scenario } from "../lib/scenario.js";
import { medianDifference, percentile } from "../lib/stats.js";
import type { Row } from "../lib/verdict.js";

const BOT_NAME = "BenchEcho";
/** A caller the simulator does not know, as a script using a user's API key is. */
const CALLER_KEY = "s".repeat(32);

const simulator: Scenario = async ({ profile, programs }) => {
  // Loaded here, not at the top: every scenario's process imports this module.
  const { startSimulator } = await import("@poekit/simulator");
  const bot = await startServer("poekit", programs.poekitServer, ["--mode", "echo"]);
  const sim = await startSimulator({ port: 0, db: ":memory:", bots: [{ name: BOT_NAME, url: bot.url }] });
  const proxy = await startPassThroughProxy(bot.url);
  try {
    const registered = sim.bots.find((record) => record.name === BOT_NAME);
    if (registered?.settingsError) {
      throw new Error(`The simulator could not fetch the bot's settings: ${registered.settingsError}`);
    }
    const { warmup, requests } = profile.simulator;
    const targets = [
      { url: bot.url },
      { url: `${sim.url}/bot/${BOT_NAME}`, authorization: `Bearer ${CALLER_KEY}` },
      { url: proxy.url },
    ];
    const run = await runJsonProgram<{ firstTextMs: number[][]; totalMs: number[][] }>(
      programs.firstTextClient,
      ["--targets", JSON.stringify(targets), "--warmup", String(warmup), "--requests", String(requests)],
    );
    const [directMs, simulatorMs, proxyMs] = run.firstTextMs as [number[], number[], number[]];
    const p = (values: number[], rank: number) => percentile([...values], rank);
    const direct = p(directMs, 50);
    const proxied = p(simulatorMs, 50);
    const overhead = proxied - direct;
    const hop = p(proxyMs, 50) - direct;
    progress(
      "simulator",
      `first text p50: direct ${direct.toFixed(2)} ms, through the simulator ${proxied.toFixed(2)} ms (+${overhead.toFixed(2)} ms), through a bare proxy +${hop.toFixed(2)} ms`,
    );
    const rows: Row[] = [
      {
        scenario: "through the simulator: time to first text, echo bot",
        label: "p50, simulator's bot query API",
        unit: "ms",
        figure: proxied,
        baseline: direct,
        target: { kind: "excess-at-most", value: 2 },
        note: `baseline: the same query straight to the bot (run() serving examples/echo); overhead +${overhead.toFixed(2)} ms at p50 (median of per-query differences +${medianDifference(simulatorMs, directMs).toFixed(2)} ms), of which one more hop through a bare node:http proxy costs +${hop.toFixed(2)} ms; p99 ${p(simulatorMs, 99).toFixed(2)} ms vs ${p(directMs, 99).toFixed(2)} ms; ${directMs.length} sequential queries each`,
      },
    ];
    return {
      rows,
      details: {
        warmup,
        directMs,
        simulatorMs,
        proxyMs,
        totalMs: { direct: run.totalMs[0], simulator: run.totalMs[1], proxy: run.totalMs[2] },
      },
    };
  } finally {
    await Promise.all([proxy.close(), sim.close()]);
    await bot.stop();
  }
};

export default simulator;
