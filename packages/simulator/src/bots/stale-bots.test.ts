import { afterEach, describe, expect, it } from "vitest";
import type { SimulatorState } from "../model.js";
import { apiEventRoutes } from "../routes/api-events.js";
import { apiStateRoutes } from "../routes/api-state.js";
import { createTestContext, mountRoutes, type TestContext } from "../test-support/test-context.js";
import { StaleBots, type StaleReport } from "./stale-bots.js";

let context: TestContext;
afterEach(async () => {
  await context?.close();
});

const TYPE_ERRORS: StaleReport = {
  reason: "type-errors",
  summary: "1 type error in index.ts",
  details: ["index.ts:5:11 - error TS2322: Type 'string' is not assignable to type 'number'."],
  servingSince: 1_000,
};

describe("StaleBots", () => {
  it("keeps what poekit dev reports per bot, with the time, and publishes each change", () => {
    context = createTestContext();
    const staleBots = new StaleBots(context.bus, () => 5_000);
    const stale = staleBots.set("EchoBot", TYPE_ERRORS);
    expect(stale).toEqual({ botName: "EchoBot", ...TYPE_ERRORS, at: 5_000 });
    expect(staleBots.get("EchoBot")).toEqual(stale);
    expect(staleBots.get("Other")).toBeUndefined();

    // A later report replaces the earlier one: the bot is listed once.
    const exited = staleBots.set("EchoBot", {
      reason: "exited",
      summary: "the bot's process exited with code 3",
      details: [],
      servingSince: null,
    });
    expect(staleBots.list()).toEqual([exited]);

    staleBots.clear("EchoBot");
    // Clearing a bot that is not stale says nothing.
    staleBots.clear("EchoBot");
    staleBots.clear("NeverStale");
    expect(staleBots.list()).toEqual([]);
    expect(context.published).toEqual([
      { type: "stale-bot", botName: "EchoBot", stale },
      { type: "stale-bot", botName: "EchoBot", stale: exited },
      { type: "stale-bot", botName: "EchoBot", stale: null },
    ]);
  });

  it("sends the page plain, bounded text: no terminal colours or control characters", () => {
    context = createTestContext();
    const staleBots = new StaleBots(context.bus);
    const stale = staleBots.set("EchoBot", {
      reason: "load-failed",
      summary: '\u001b[31msyntax error\u001b[39m at index.ts:5:3:\nExpected \u0007";"',
      details: ["  at file.ts:1\u0000\n\tnext line", "x".repeat(10_000), ...Array(30).fill("more")],
      servingSince: null,
    });
    expect(stale.summary).toBe('syntax error at index.ts:5:3: Expected ";"');
    expect(stale.details[0]).toBe("  at file.ts:1\n\tnext line");
    expect(stale.details[1]).toBe(`${"x".repeat(4_000)}…`);
    expect(stale.details).toHaveLength(20);
    expect(staleBots.set("EchoBot", { ...TYPE_ERRORS, summary: "y".repeat(600) }).summary).toBe(
      `${"y".repeat(500)}…`,
    );
  });

  it("is in /api/state for a page that opens later, and on /api/events for one already open", async () => {
    context = createTestContext();
    const app = mountRoutes(context, [(c) => apiStateRoutes(c, "test"), apiEventRoutes]);
    const events = await app.request("/");
    const stale = context.staleBots.set("EchoBot", TYPE_ERRORS);

    const state = (await (await app.request("/state")).json()) as SimulatorState;
    expect(state.staleBots).toEqual([stale]);
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("event: stale-bot")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"summary":"1 type error in index.ts"');
    await reader.cancel();

    context.staleBots.clear("EchoBot");
    expect(((await (await app.request("/state")).json()) as SimulatorState).staleBots).toEqual([]);
  });
});
