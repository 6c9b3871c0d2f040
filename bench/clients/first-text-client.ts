// The client of the simulator scenario: the same echo query sent to several targets (straight to the
// bot, through the simulator's bot query API, through a bare proxy), one query at a time, rotating
// which target goes first, each timed to its first text event.
// Prints one JSON line: { firstTextMs: number[][], totalMs: number[][] }, one list per target.
import { Agent } from "node:http";
import { parseArgs } from "node:util";
import { timeFirstText } from "../lib/first-text.js";
import { QUERY_HEADERS, queryBody } from "../lib/query.js";

const { values } = parseArgs({
  options: {
    /** JSON: [{ "url": "...", "authorization": "Bearer ..." }, ...] */
    targets: { type: "string" },
    warmup: { type: "string", default: "20" },
    requests: { type: "string", default: "100" },
  },
});
if (!values.targets) throw new Error("first-text-client needs --targets");

const CONTENT = "How long until the first word?";
const targets = (JSON.parse(values.targets) as { url: string; authorization?: string }[]).map((target) => ({
  url: target.url,
  headers: { ...QUERY_HEADERS, ...(target.authorization && { authorization: target.authorization }) },
  agent: new Agent({ keepAlive: true, maxSockets: 1 }),
}));
const firstTextMs = targets.map((): number[] => []);
const totalMs = targets.map((): number[] => []);

const warmup = Number(values.warmup);
const requests = Number(values.requests);
for (let round = 0; round < warmup + requests; round++) {
  // A message id of its own per round: the simulator counts bot query API calls per user message.
  const body = queryBody(CONTENT, `m-bench-${round}`);
  for (let step = 0; step < targets.length; step++) {
    const index = (round + step) % targets.length;
    const target = targets[index] as (typeof targets)[number];
    const answer = await timeFirstText(target.url, { headers: target.headers, body, agent: target.agent });
    if (answer.text !== CONTENT) {
      throw new Error(`${target.url} answered ${JSON.stringify(answer.text)}, not the echo of the query.`);
    }
    if (round >= warmup) {
      firstTextMs[index]?.push(answer.firstTextMs);
      totalMs[index]?.push(answer.totalMs);
    }
  }
}
for (const target of targets) target.agent.destroy();
console.log(JSON.stringify({ firstTextMs, totalMs }));
