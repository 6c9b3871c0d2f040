import { describe, expect, it } from "vitest";
import { selectChecks } from "./catalog.js";
import { runChecks } from "./run-checks.js";
import { BROKEN_BOTS, type BrokenBot, FIXTURE_KEY, serveBrokenBot } from "./test-support/broken-bots.js";

const title = (fixture: BrokenBot) =>
  `${fixture.name}: fails ${fixture.fails.join(", ") || "nothing"}, warns ${fixture.warns.join(", ") || "nothing"}`;

/** Runs every check against the fixture and compares what failed and what warned with what it expects. */
async function expectExactFindings(fixture: BrokenBot): Promise<void> {
  const served = await serveBrokenBot(fixture);
  try {
    const run = await runChecks({
      url: served.url,
      accessKey: FIXTURE_KEY,
      selected: selectChecks([]),
      tuning: { concurrency: 6, ...fixture.tuning },
    });
    if (!run.ok) throw new Error(run.message);
    const ids = (status: string) =>
      run.results
        .filter((result) => result.status === status)
        .map((result) => result.id)
        .sort();
    expect({ fails: ids("fail"), warns: ids("warn") }).toEqual({
      fails: [...fixture.fails].sort(),
      warns: [...fixture.warns].sort(),
    });
    for (const id of fixture.passes ?? []) {
      expect(run.results.find((result) => result.id === id)).toMatchObject({ status: "pass" });
    }
    // Every check ran and gave exactly one result, whatever the bot did.
    expect(run.results.map((result) => result.id)).toEqual([...selectChecks([])]);
  } finally {
    await served.close();
  }
}

describe.concurrent("poekit check against bots that break the protocol on purpose", () => {
  for (const fixture of BROKEN_BOTS.filter((bot) => !bot.timed)) {
    it(title(fixture), () => expectExactFindings(fixture));
  }
});

// Alone, one after the other: their limits are lowered to fractions of a second.
describe("poekit check against bots whose timing is wrong (or right)", () => {
  for (const fixture of BROKEN_BOTS.filter((bot) => bot.timed)) {
    it(title(fixture), () => expectExactFindings(fixture));
  }
});
