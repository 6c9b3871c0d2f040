import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectChecks } from "./catalog.js";
import { runChecks } from "./run-checks.js";
import { FIXTURE_KEY } from "./test-support/broken-bots.js";
import { type ClosingBot, serveClosingBot } from "./test-support/closes-after-malformed.js";

let bot: ClosingBot;
beforeAll(async () => {
  bot = await serveClosingBot();
});
afterAll(() => bot.close());

describe("poekit check against a bot that closes connections after malformed bodies", () => {
  it("fails nothing for it: every request goes on a connection of its own", async () => {
    // Five runs, as the false failure came once in five against the Python echo bot.
    for (let run = 0; run < 5; run++) {
      const result = await runChecks({
        url: bot.url,
        accessKey: FIXTURE_KEY,
        selected: selectChecks([]),
        tuning: { concurrency: 6 },
      });
      if (!result.ok) throw new Error(result.message);
      const failed = result.results.filter((check) => check.status === "fail");
      expect(failed.map((check) => `${check.id}: ${check.message}`)).toEqual([]);
      for (const check of result.results) {
        if (check.request) expect(check.request.headers.connection).toBe("close");
      }
    }
    expect(bot.dropped()).toBe(0);
  }, 60_000);
});
