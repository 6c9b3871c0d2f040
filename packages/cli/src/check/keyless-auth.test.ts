import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HeaderStrictBot,
  startHeaderStrictBot,
} from "../../../poekit/src/test-support/header-strict-bot.js";
import { selectChecks } from "./catalog.js";
import { STAND_IN_KEY } from "./check-context.js";
import { runChecks } from "./run-checks.js";

let strict: HeaderStrictBot;
beforeAll(async () => {
  strict = await startHeaderStrictBot();
});
afterAll(() => strict.close());

describe("poekit check without a key, against a bot that refuses requests without Authorization", () => {
  it("sends a key with every request but the deliberate probe without one", async () => {
    const run = await runChecks({
      url: strict.url,
      accessKey: null,
      selected: selectChecks(["settings-json", "report-feedback", "report-reaction", "auth-missing"]),
    });
    if (!run.ok) throw new Error(run.message);
    for (const id of ["settings-json", "report-feedback", "report-reaction"]) {
      expect(run.results.find((result) => result.id === id)).toMatchObject({ status: "pass" });
    }
    const unkeyed = strict.requests.filter((request) => request.authorization === undefined);
    // Only auth-missing's probe, a query, went without the header.
    expect(unkeyed.map((request) => request.type)).toEqual(["query"]);
    const keyed = strict.requests.filter((request) => request.authorization !== undefined);
    expect(new Set(keyed.map((request) => request.authorization))).toEqual(
      new Set([`Bearer ${STAND_IN_KEY}`]),
    );
  });
});
