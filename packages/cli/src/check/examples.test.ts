import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSim, sim } from "../commands/sim-action.js";
import { REPO_ROOT } from "../test-support/build-if-stale.js";
import { selectChecks } from "./catalog.js";
import { runChecks } from "./run-checks.js";

/** Every example bot: each folder of examples/ with an index.ts, so new examples are checked too. */
const EXAMPLES = readdirSync(path.join(REPO_ROOT, "examples"), { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(path.join(REPO_ROOT, "examples", entry.name, "index.ts")),
  )
  .map((entry) => entry.name)
  .sort();

let running: RunningSim;
const savedBaseUrl = process.env.POE_API_BASE_URL;

// As `npm start` serves them: in the simulator, the models they call answered offline by ScriptedLLM.
beforeAll(async () => {
  running = await sim(
    EXAMPLES.map((name) => path.join(REPO_ROOT, "examples", name)),
    { port: "0", host: "127.0.0.1", db: ":memory:", bot: [], model: [], alias: ["GPT-4o-Mini=ScriptedLLM"] },
  );
});

afterAll(async () => {
  await running?.close();
  if (savedBaseUrl === undefined) delete process.env.POE_API_BASE_URL;
  else process.env.POE_API_BASE_URL = savedBaseUrl;
});

describe.concurrent("poekit check against every example", () => {
  it("finds the examples", () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(["echo", "function-calling", "gpt-forward"]));
  });

  for (const name of EXAMPLES) {
    it(`${name} passes every check`, async () => {
      const served = running.served;
      const bot = served?.app.bots.get(`/${name}`);
      if (!served || !bot) throw new Error(`poekit sim did not serve examples/${name} on /${name}.`);
      const run = await runChecks({
        url: `${served.url}/${name}`,
        accessKey: bot.accessKey,
        selected: selectChecks([]),
      });
      if (!run.ok) throw new Error(run.message);
      const failed = run.results
        .filter((result) => result.status === "fail")
        .map((result) => `${result.id}: ${result.message}`);
      expect(failed).toEqual([]);
      // With its key, every check applies except keep-alive (the examples answer at once).
      expect(run.results.filter((result) => result.status === "skip").map((result) => result.id)).toEqual([
        "keep-alive",
      ]);
    });
  }
});
