// Many concurrent open streams (10,000 for 30 s in the full run), each sent one event per second by a
// bot sleeping between yields; raw-echo's sleeping variant alongside for comparison.
// Targets: all served; server RSS ≤ 250 MB; event delivery lag p99 ≤ 50 ms.
import { holdOpenStreams } from "../lib/open-streams.js";
import { RAW_ECHO } from "../lib/paths.js";
import { type ServerProcess, startServer } from "../lib/processes.js";
import { progress, type Scenario } from "../lib/scenario.js";
import { percentile } from "../lib/stats.js";
import type { Row } from "../lib/verdict.js";

const INTERVAL_MS = 1000;

interface Measured {
  served: number;
  peakOpen: number;
  maxRssMb: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  steadyLagP99Ms: number;
  steadyEvents: number;
  events: number;
  openedInMs: number;
  failures: string[];
}

const openStreams: Scenario = async ({ profile, programs }) => {
  const { count, seconds } = profile.openStreams;
  const events = Math.max(1, Math.round((seconds * 1000) / INTERVAL_MS));
  const args = ["--mode", "sleep", "--events", String(events), "--interval", String(INTERVAL_MS)];

  const measure = async (server: ServerProcess): Promise<Measured> => {
    try {
      progress("open-streams", `${server.name}: ${count} streams × ${events} events, one a second`);
      const result = await holdOpenStreams({
        url: server.url,
        count,
        events,
        timeoutMs: seconds * 2000 + 60_000,
      });
      const stats = await server.stats();
      const lags = result.lagsMs;
      const measured = {
        served: result.served,
        peakOpen: result.peakOpen,
        maxRssMb: stats.maxRss / 1e6,
        lagP50Ms: percentile(lags, 50),
        lagP99Ms: percentile(lags, 99),
        lagMaxMs: percentile(lags, 100),
        steadyLagP99Ms: percentile(result.steadyLagsMs, 99),
        steadyEvents: result.steadyLagsMs.length,
        events: lags.length,
        openedInMs: result.openedInMs,
        failures: result.failures,
      };
      progress(
        "open-streams",
        `${server.name}: ${measured.served} served, peak ${measured.peakOpen} open, RSS peak ${measured.maxRssMb.toFixed(1)} MB, lag p99 ${measured.lagP99Ms.toFixed(1)} ms`,
      );
      return measured;
    } finally {
      await server.stop();
    }
  };

  // One server at a time: each gets the machine to itself, and its peak memory is its own.
  const ours = await measure(await startServer("poekit", programs.poekitServer, args));
  const theirs = await measure(await startServer("raw-echo", RAW_ECHO, args));

  const scenario = `${count.toLocaleString("en-US")} open streams, ${seconds} s`;
  const error = ours.failures.length > 0 ? ours.failures.slice(0, 3).join("; ") : undefined;
  const rows: Row[] = [
    {
      scenario,
      label: "streams served in full",
      unit: "streams",
      figure: ours.served,
      baseline: theirs.served,
      target: { kind: "equals", value: count },
      note: `peak open at once: ${ours.peakOpen} (raw-echo ${theirs.peakOpen}); all opened in ${(ours.openedInMs / 1000).toFixed(1)} s`,
      ...(error && { error }),
    },
    {
      scenario,
      label: "server peak RSS",
      unit: "MB",
      figure: ours.maxRssMb,
      baseline: theirs.maxRssMb,
      target: { kind: "at-most", value: 250 },
      note: "baseline: raw-echo sleeping variant",
    },
    {
      scenario,
      label: "event delivery lag p99",
      unit: "ms",
      figure: ours.lagP99Ms,
      baseline: theirs.lagP99Ms,
      target: { kind: "at-most", value: 50 },
      note: `all ${ours.events} events, opening rush included: p50 ${ours.lagP50Ms.toFixed(1)} ms, max ${ours.lagMaxMs.toFixed(1)} ms (raw-echo p50 ${theirs.lagP50Ms.toFixed(1)} ms, max ${theirs.lagMaxMs.toFixed(1)} ms); steady state only (${ours.steadyEvents} events due while all were open): p99 ${ours.steadyLagP99Ms.toFixed(1)} ms (raw-echo ${theirs.steadyLagP99Ms.toFixed(1)} ms)`,
    },
  ];
  return { rows, details: { count, seconds, events, poekit: ours, rawEcho: theirs } };
};

export default openStreams;
