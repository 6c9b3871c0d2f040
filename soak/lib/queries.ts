import type { EventEmitter } from "node:events";
import autocannon from "autocannon";
import { QUERY_HEADERS, queryBody } from "./query-body.js";
import { SHORT_ANSWER, SHORT_QUERY } from "./soak-bot.js";

/** autocannon's options as bench/lib/autocannon.d.ts declares them, with the two the soak adds. */
type CountedOptions = Parameters<typeof autocannon>[0] & {
  /** Send exactly this many requests in all, then stop. */
  amount: number;
  /** Checks each answer's body; false counts as a mismatch. */
  verifyBody: (body: string) => boolean;
};

/** The run, typed for what the soak reads of its result (the package ships no types). */
const countedRun = autocannon as unknown as (
  options: CountedOptions,
  callback: (error: Error | null, result: { errors: number; mismatches: number }) => void,
) => EventEmitter;

/** What a run of short queries saw. */
export interface QueryResult {
  tried: number;
  /** Answered 2xx with the bot's answer, then `done` last. */
  ok: number;
  non2xx: number;
  /** Answered 2xx without the answer or without `done` last. */
  lostDone: number;
  /** Connection errors and timeouts. */
  errors: number;
  durationMs: number;
}

const DONE = "event: done\r\ndata: {}\r\n\r\n";

/**
 * Sends exactly `amount` short queries over `connections` keep-alive connections with autocannon,
 * checking every body.
 * @example
 * const result = await runQueries({ url, amount: 200_000, connections: 32 });
 */
export function runQueries(options: {
  url: string;
  amount: number;
  connections: number;
}): Promise<QueryResult> {
  const started = performance.now();
  let answered2xx = 0;
  let non2xx = 0;
  return new Promise((resolve, reject) => {
    const instance = countedRun(
      {
        url: options.url,
        method: "POST",
        headers: QUERY_HEADERS,
        body: queryBody([{ role: "user", content: SHORT_QUERY }], "c-soak-queries", ""),
        connections: options.connections,
        pipelining: 1,
        amount: options.amount,
        timeout: 30,
        verifyBody: (body) => body.endsWith(DONE) && body.includes(`{"text":"${SHORT_ANSWER}"}`),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        // A body that fails the check is a mismatch, non-2xx ones included (they have no done).
        const lostDone = result.mismatches - non2xx;
        resolve({
          tried: options.amount,
          ok: answered2xx - lostDone,
          non2xx,
          lostDone,
          errors: result.errors,
          durationMs: performance.now() - started,
        });
      },
    );
    instance.on("response", (_client: unknown, status: number) => {
      if (status >= 200 && status < 300) answered2xx++;
      else non2xx++;
    });
  });
}
