// Echo query, one text event, keep-alive, at concurrency 1 / 10 / 100 (autocannon): run() serving
// examples/echo against raw-echo. Targets: req/s ≥ 0.8 × raw-echo at 10 and 100; p99 ≤ 1.5 × raw-echo.
import { RAW_ECHO } from "../lib/paths.js";
import { startServer } from "../lib/processes.js";
import { queryBody } from "../lib/query.js";
import type { Scenario } from "../lib/scenario.js";
import { checkSameAnswer, loadPair } from "../lib/server-pair.js";
import type { Row } from "../lib/verdict.js";

const echo: Scenario = async ({ profile, programs }) => {
  const poekit = await startServer("poekit", programs.poekitServer, ["--mode", "echo"]);
  const raw = await startServer("raw-echo", RAW_ECHO, ["--mode", "echo"]);
  try {
    const body = queryBody("Hello, bot");
    await checkSameAnswer(poekit, raw, body);
    const results = await loadPair("echo", [poekit, raw], body, profile.echoConcurrencies, profile);
    const rows: Row[] = [];
    for (const [connections, [ours, theirs]] of results) {
      const failures = ours.failures + theirs.failures;
      const error = failures > 0 ? `${failures} failed requests` : undefined;
      rows.push(
        {
          scenario: "echo query (run() serving examples/echo)",
          label: `req/s, concurrency ${connections}`,
          unit: "req/s",
          figure: ours.reqPerSec,
          baseline: theirs.reqPerSec,
          ...(connections >= 10 && { target: { kind: "ratio-at-least", value: 0.8 } as const }),
          note: "baseline: raw-echo",
          ...(error && { error }),
        },
        {
          scenario: "echo query (run() serving examples/echo)",
          label: `p99 latency, concurrency ${connections}`,
          unit: "ms",
          figure: ours.p99Ms,
          baseline: theirs.p99Ms,
          target: { kind: "ratio-at-most", value: 1.5 },
          note: `p50 ${ours.p50Ms.toFixed(2)} ms vs ${theirs.p50Ms.toFixed(2)} ms`,
          ...(error && { error }),
        },
      );
    }
    return { rows, details: { concurrency: Object.fromEntries(results) } };
  } finally {
    await Promise.all([poekit.stop(), raw.stop()]);
  }
};

export default echo;
