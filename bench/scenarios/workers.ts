// Multi-core serving: `poekit serve --workers 2` (node:cluster) against `--workers 1`, loaded with a
// query as in the echo scenario (autocannon, keep-alive, 100 connections), for two bots (the first
// only in --quick):
// - a bot that computes about a millisecond per query (bench/bots/busy-bot.ts): the serving costs
//   the bot's CPU, and the load generator's share is small. Target: req/s ≥ 1.6 × one worker.
// - examples/echo, reported without a target: a query costs the load generator (autocannon, in this
//   process) about as much CPU as the server, so on a two-core machine the generator takes much of
//   the core a second worker would need.
import { availableParallelism } from "node:os";
import { type CommandServer, freePort, startCommandServer } from "../lib/command-server.js";
import { POEKIT_CLI } from "../lib/paths.js";
import { queryBody } from "../lib/query.js";
import type { Scenario } from "../lib/scenario.js";
import { checkSameAnswer, loadPair } from "../lib/server-pair.js";
import type { Row, Target } from "../lib/verdict.js";

const CONNECTIONS = 100;

/** `poekit serve <bot> --workers <count>` on a free port of 127.0.0.1, once every worker listens. */
async function serveWorkers(bot: string, count: number, body: string): Promise<CommandServer> {
  const port = await freePort();
  const args = [
    POEKIT_CLI,
    "serve",
    bot,
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--allow-without-key",
    "--no-sync-settings",
    "--grace",
    "1",
    "--workers",
    String(count),
  ];
  // With several workers, the primary says so once every one of them listens.
  const ready = count > 1 ? new RegExp(`Serving with ${count} workers`) : undefined;
  return startCommandServer(`${count} worker${count === 1 ? "" : "s"}`, args, port, body, { ready });
}

const workers: Scenario = async ({ profile, programs }) => {
  const cores = availableParallelism();
  const body = queryBody("Hello, bot");
  const bots: { id: "busy" | "echo"; name: string; file: string; target?: Target; note: string }[] = [
    {
      id: "busy",
      name: "a bot computing ~1 ms per query",
      file: programs.busyBotJs,
      target: { kind: "ratio-at-least", value: 1.6 },
      note: `baseline: --workers 1; the load generator shares the machine's ${cores} cores, but needs little of them here`,
    },
    {
      id: "echo",
      name: "examples/echo",
      file: programs.echoBotJs,
      note: `reported, no target: the load generator shares the machine's ${cores} cores and, for an echo, costs about as much CPU per query as the server`,
    },
  ];
  const rows: Row[] = [];
  const details: Record<string, unknown> = { cores };
  for (const bot of bots.filter((candidate) => profile.workersBots.includes(candidate.id))) {
    const servers: CommandServer[] = [];
    try {
      // Started one after the other: each must find its own free port.
      servers.push(await serveWorkers(bot.file, 2, body));
      servers.push(await serveWorkers(bot.file, 1, body));
      const [two, one] = servers as [CommandServer, CommandServer];
      await checkSameAnswer(two, one, body);
      const results = await loadPair(`workers, ${bot.name}`, [two, one], body, [CONNECTIONS], profile);
      for (const [connections, [ours, theirs]] of results) {
        const failures = ours.failures + theirs.failures;
        rows.push({
          scenario: `poekit serve --workers 2, ${bot.name}`,
          label: `req/s, concurrency ${connections}`,
          unit: "req/s",
          figure: ours.reqPerSec,
          baseline: theirs.reqPerSec,
          ...(bot.target && { target: bot.target }),
          note: `${bot.note}; p99 ${ours.p99Ms.toFixed(2)} ms vs ${theirs.p99Ms.toFixed(2)} ms`,
          ...(failures > 0 && { error: `${failures} failed requests` }),
        });
      }
      details[bot.name] = Object.fromEntries(results);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }
  return { rows, details };
};

export default workers;
