import { httpLoad, type LoadResult } from "./http-load.js";
import type { ServerProcess } from "./processes.js";
import type { Profile } from "./profile.js";
import { QUERY_HEADERS } from "./query.js";
import { progress } from "./scenario.js";
import { median } from "./stats.js";

/** What a load run needs of a server: its name for the report and its URL. */
export type LoadTarget = Pick<ServerProcess, "name" | "url">;

/** The figures of one server at one concurrency: medians over the measured rounds. */
export interface PairSide {
  reqPerSec: number;
  p99Ms: number;
  p50Ms: number;
  failures: number;
  rounds: LoadResult[];
}

/**
 * Fails unless both servers give the same answer to `body` (the same decoded bytes), so the pair is
 * measured doing the same work.
 * @example
 * await checkSameAnswer(poekit, raw, queryBody("Hello"));
 */
export async function checkSameAnswer(a: LoadTarget, b: LoadTarget, body: string): Promise<void> {
  const answer = async (server: LoadTarget) => {
    const response = await fetch(server.url, { method: "POST", headers: QUERY_HEADERS, body });
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      text: await response.text(),
    };
  };
  const [first, second] = [await answer(a), await answer(b)];
  if (first.status !== 200 || second.status !== 200) {
    throw new Error(
      `Expected 200 from both servers, got ${a.name} ${first.status}, ${b.name} ${second.status}.`,
    );
  }
  if (first.type !== second.type || first.text !== second.text) {
    throw new Error(
      `${a.name} and ${b.name} answer differently: ${JSON.stringify(first.text.slice(0, 200))} vs ${JSON.stringify(second.text.slice(0, 200))}.`,
    );
  }
}

/**
 * Loads two servers with the same request at each concurrency, back to back: a warm-up on each, then
 * `loadRounds` measured runs per server, alternating which goes first.
 * @example
 * const results = await loadPair("echo", [poekit, raw], queryBody("Hello"), [1, 10, 100], profile);
 */
export async function loadPair(
  scenario: string,
  servers: readonly [LoadTarget, LoadTarget],
  body: string,
  concurrencies: readonly number[],
  profile: Profile,
): Promise<Map<number, [PairSide, PairSide]>> {
  const results = new Map<number, [PairSide, PairSide]>();
  const run = (server: LoadTarget, connections: number, seconds: number) =>
    httpLoad({ url: server.url, body, headers: QUERY_HEADERS, connections, seconds });
  for (const connections of concurrencies) {
    for (const server of servers) await run(server, connections, profile.warmupSeconds);
    const rounds: [LoadResult[], LoadResult[]] = [[], []];
    for (let round = 0; round < profile.loadRounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const index of order) {
        rounds[index]?.push(await run(servers[index] as LoadTarget, connections, profile.loadSeconds));
      }
    }
    const sides = rounds.map(summarize) as [PairSide, PairSide];
    results.set(connections, sides);
    progress(
      scenario,
      `concurrency ${connections}: ${servers
        .map(
          (server, i) =>
            `${server.name} ${Math.round(sides[i]?.reqPerSec ?? 0)} req/s, p99 ${sides[i]?.p99Ms.toFixed(2)} ms`,
        )
        .join("; ")}`,
    );
  }
  return results;
}

function summarize(rounds: LoadResult[]): PairSide {
  return {
    reqPerSec: median(rounds.map((r) => r.reqPerSec)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    rounds,
  };
}
