import autocannon from "autocannon";
import { percentile } from "./stats.js";

/** What one load run measured. */
export interface LoadResult {
  /** Answered 2xx requests per second over the run. */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers; a sound run has none. */
  failures: number;
}

/**
 * Sends the same POST over `connections` keep-alive connections for `seconds` with autocannon.
 * Latencies are taken from each response (autocannon's own histogram keeps whole milliseconds only,
 * too coarse for answers that take a tenth of one).
 * @example
 * const result = await httpLoad({ url, body: queryBody("Hello"), connections: 10, seconds: 5 });
 */
export function httpLoad(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let non2xx = 0;
    const started = performance.now();
    const instance = autocannon(
      {
        url: options.url,
        method: "POST",
        headers: options.headers,
        body: options.body,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: 10,
        // autocannon stops at the first sample after the duration; sampling often makes that on time.
        sampleInt: 100,
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const elapsedS = (performance.now() - started) / 1000;
        resolve({
          reqPerSec: latencies.length / elapsedS,
          p50Ms: percentile(latencies, 50),
          p99Ms: percentile(latencies, 99),
          requests: latencies.length,
          failures: result.errors + non2xx,
        });
      },
    );
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else non2xx++;
    });
  });
}
