import { authChecks } from "./auth-checks.js";
import { CHECKS } from "./catalog.js";
import { type CheckTuning, type CheckUnit, openCheckContext } from "./check-context.js";
import type { CheckResult } from "./check-result.js";
import { compatChecks } from "./compat-checks.js";
import { malformedChecks } from "./malformed-checks.js";
import { pageChecks } from "./page-checks.js";
import { type Preflight, preflight } from "./preflight.js";
import { queryChecks } from "./query-checks.js";
import { requestTypeChecks } from "./request-type-checks.js";
import { robustnessChecks } from "./robustness-checks.js";
import { settingsChecks } from "./settings-checks.js";

/**
 * Every unit of checks, in the order they start. The normal query, which several units compare
 * against, is sent before any of them; the quick requests go while it streams, and the units that
 * wait for it come last, so that they do not hold the places of units that could run.
 */
const UNITS: readonly CheckUnit[] = [
  ...queryChecks,
  ...pageChecks,
  ...settingsChecks,
  ...requestTypeChecks,
  ...malformedChecks,
  ...authChecks,
  ...robustnessChecks,
  ...compatChecks,
];

/** What {@link runChecks} needs. */
export interface RunChecksOptions {
  url: string;
  accessKey: string | null;
  /** The ids of the checks to report. */
  selected: ReadonlySet<string>;
  tuning?: CheckTuning;
  /** Called each time a unit of checks finishes. */
  onProgress?: (finished: number, total: number) => void;
}

/** The checks' results in catalog order, or why none could run. */
export type ChecksRun = { ok: true; results: CheckResult[] } | Exclude<Preflight, { ok: true }>;

/**
 * Runs the selected checks against the bot, a few at a time, after making sure the bot can be
 * checked at all (see {@link preflight}). Whatever it starts (a file server) is stopped at the end.
 * @example
 * const run = await runChecks({ url, accessKey: null, selected: selectChecks([]) });
 * if (run.ok) console.log(run.results.filter((result) => result.status === "fail"));
 */
export async function runChecks(options: RunChecksOptions): Promise<ChecksRun> {
  const tuning = options.tuning ?? {};
  const { context, close } = openCheckContext(options.url, options.accessKey, tuning);
  try {
    const ready = await preflight(context);
    if (!ready.ok) return ready;
    const units = UNITS.filter((unit) => unit.ids.some((id) => options.selected.has(id)));
    // Started now, awaited by the units that use it; it never rejects (runExchange reports failures).
    if (units.some((unit) => unit.usesBaseline)) void context.baseline();
    let finished = 0;
    const batches = await inPool(units, tuning.concurrency ?? 4, async (unit) => {
      const results = await unit.run(context);
      options.onProgress?.(++finished, units.length);
      return results;
    });
    const order = new Map(CHECKS.map((check, index) => [check.id, index]));
    const results = batches
      .flat()
      .filter((result) => options.selected.has(result.id))
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return { ok: true, results };
  } finally {
    await close();
  }
}

/** Maps `items` through `task`, at most `limit` at a time; results in the order of `items`. */
async function inPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await task(items[at] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
