// The cost of the access log: run() serving examples/echo with one JSON access line per query
// written to a file, against the same server with logs off, loaded as in the echo scenario
// (autocannon, keep-alive) at concurrency 10 and 100. Target: req/s ≥ 0.9 × logs off. The file is
// the server's stdout, as with `poekit serve --log-format json > access.log`.
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer } from "../lib/processes.js";
import { queryBody } from "../lib/query.js";
import type { Scenario } from "../lib/scenario.js";
import { checkSameAnswer, loadPair } from "../lib/server-pair.js";
import type { Row } from "../lib/verdict.js";

const accessLog: Scenario = async ({ profile, programs }) => {
  const folder = mkdtempSync(path.join(tmpdir(), "poekit-bench-log-"));
  const file = path.join(folder, "access.log");
  const fd = openSync(file, "a");
  const logged = await startServer(
    "json access log",
    programs.poekitServer,
    ["--mode", "echo", "--access-log"],
    {
      stdout: fd,
    },
  );
  const quiet = await startServer("logs off", programs.poekitServer, ["--mode", "echo"]);
  try {
    const body = queryBody("Hello, bot");
    await checkSameAnswer(logged, quiet, body);
    const concurrencies = profile.echoConcurrencies.filter((connections) => connections >= 10);
    const results = await loadPair("access-log", [logged, quiet], body, concurrencies, profile);
    const rows: Row[] = [];
    for (const [connections, [ours, theirs]] of results) {
      const failures = ours.failures + theirs.failures;
      rows.push({
        scenario: "echo query with JSON access lines to a file",
        label: `req/s, concurrency ${connections}`,
        unit: "req/s",
        figure: ours.reqPerSec,
        baseline: theirs.reqPerSec,
        target: { kind: "ratio-at-least", value: 0.9 },
        note: "baseline: the same server with logs off",
        ...(failures > 0 && { error: `${failures} failed requests` }),
      });
    }
    return { rows, details: { logBytes: statSync(file).size, concurrency: Object.fromEntries(results) } };
  } finally {
    await Promise.all([logged.stop(), quiet.stop()]);
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  }
};

export default accessLog;
