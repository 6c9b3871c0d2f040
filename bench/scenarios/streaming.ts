// A stream of 100 text events of 10 characters per query, at concurrency 10 / 100: a bot yielding
// them as fast as it is pulled, against raw-echo writing them one by one.
// Target: req/s ≥ 0.7 × raw-echo's streaming variant.
import { RAW_ECHO } from "../lib/paths.js";
import { startServer } from "../lib/processes.js";
import { queryBody } from "../lib/query.js";
import type { Scenario } from "../lib/scenario.js";
import { checkSameAnswer, loadPair } from "../lib/server-pair.js";
import type { Row } from "../lib/verdict.js";

const EVENTS = 100;
const CHARS = 10;

const streaming: Scenario = async ({ profile, programs }) => {
  const args = ["--mode", "stream", "--events", String(EVENTS), "--chars", String(CHARS)];
  const poekit = await startServer("poekit", programs.poekitServer, args);
  const raw = await startServer("raw-echo", RAW_ECHO, args);
  try {
    const body = queryBody("Stream, please");
    await checkSameAnswer(poekit, raw, body);
    const results = await loadPair("streaming", [poekit, raw], body, profile.streamConcurrencies, profile);
    const rows: Row[] = [];
    for (const [connections, [ours, theirs]] of results) {
      const failures = ours.failures + theirs.failures;
      rows.push({
        scenario: `stream of ${EVENTS} text events × ${CHARS} chars`,
        label: `req/s, concurrency ${connections}`,
        unit: "req/s",
        figure: ours.reqPerSec,
        baseline: theirs.reqPerSec,
        target: { kind: "ratio-at-least", value: 0.7 },
        note: `baseline: raw-echo streaming; p99 ${ours.p99Ms.toFixed(2)} ms vs ${theirs.p99Ms.toFixed(2)} ms`,
        ...(failures > 0 && { error: `${failures} failed requests` }),
      });
    }
    return { rows, details: { events: EVENTS, chars: CHARS, concurrency: Object.fromEntries(results) } };
  } finally {
    await Promise.all([poekit.stop(), raw.stop()]);
  }
};

export default streaming;
