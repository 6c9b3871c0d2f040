import type { BuiltPrograms } from "./build.js";
import type { Profile } from "./profile.js";
import type { Row } from "./verdict.js";

/** What a scenario is given: its sizes and the programs the runner built. */
export interface ScenarioContext {
  profile: Profile;
  programs: BuiltPrograms;
}

/** What a scenario hands back: its report rows, and the raw figures behind them for latest.json. */
export interface ScenarioResult {
  rows: Row[];
  details: Record<string, unknown>;
}

/** A scenario module's default export. */
export type Scenario = (context: ScenarioContext) => Promise<ScenarioResult>;

/**
 * Prints a progress line to stderr (stdout stays free for results).
 * @example
 * progress("echo", "concurrency 10: poekit 9,800 req/s, raw-echo 11,200 req/s");
 */
export function progress(scenario: string, message: string): void {
  process.stderr.write(`  [${scenario}] ${message}\n`);
}
