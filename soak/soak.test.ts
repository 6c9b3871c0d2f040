import { beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../packages/cli/src/test-support/build-if-stale.js";
import { checksOf } from "./lib/report.js";
import type { SoakTarget } from "./lib/server-process.js";
import { type SoakSizes, soakTarget } from "./lib/soak.js";

// The short soak: the same harness as `npm run soak`, with a tenth of a percent of its load. Every
// target but RSS is checked: on a shared machine running other tests, memory is too noisy to judge.

const SHORT: Record<SoakTarget, SoakSizes> = {
  sdk: {
    conversations: 100,
    minTurns: 2,
    events: 10,
    intervalMs: 100,
    queries: 2_000,
    warmupQueries: 500,
    connections: 16,
  },
  simulator: {
    conversations: 50,
    minTurns: 2,
    events: 10,
    intervalMs: 100,
    queries: 500,
    warmupQueries: 200,
    connections: 8,
  },
};

beforeAll(() => {
  // The servers run the built packages, as users do.
  buildIfStale();
}, 120_000);

describe.each(["sdk", "simulator"] as const)("the soak, short, against the %s", (target) => {
  it("answers every streamed and short query in full, 2xx, done last, and ends with its handles back at baseline", async () => {
    const sizes = SHORT[target];
    const figures = await soakTarget(target, sizes, () => undefined);
    expect(figures.run.queries).toMatchObject({
      tried: sizes.queries,
      ok: sizes.queries,
      non2xx: 0,
      lostDone: 0,
      errors: 0,
    });
    expect(figures.run.conversations).toMatchObject({
      non2xx: 0,
      lostDone: 0,
      wrongText: 0,
      errors: 0,
      short: 0,
    });
    expect(figures.run.conversations.ok).toBe(figures.run.conversations.tried);
    expect(figures.run.conversations.tried).toBeGreaterThanOrEqual(sizes.conversations * sizes.minTurns);
    const missed = checksOf(figures).filter((check) => check.id !== "rss" && check.pass === false);
    expect(missed).toEqual([]);
    expect(figures.afterRun.stats.openStreams).toBe(0);
  }, 120_000);
});
