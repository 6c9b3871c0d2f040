// `npm start`, then the function-calling example asked about the weather in the chat page: the answer
// and the two calls it makes to its model show 0 violations in the inspector. Runs `scripts/start.mjs`
// as `npm start` does (every example served, GPT-4o-Mini answered by ScriptedLLM), keeping nothing.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../cli/src/test-support/build-if-stale.js";
import { buildPageIfMissing, ChatPageDriver, openChatPage } from "./test-support/chat-page.js";
import { browserTestsEnabled, launchChromium } from "./test-support/chromium.js";
import { type SimulatorProcess, spawnSimulator } from "./test-support/simulator-process.js";

describe.runIf(browserTestsEnabled())("npm start, in Chromium", () => {
  let browser: Browser;
  let sim: SimulatorProcess;
  let page: Page;

  beforeAll(async () => {
    buildIfStale();
    await buildPageIfMissing();
    // Sixteen examples load and answer the settings request before the banner: slow on a busy machine.
    sim = await spawnSimulator(["scripts/start.mjs", "--db", ":memory:"], { PORT: "0" }, 90_000);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (sim && sim.child.exitCode === null && sim.child.signalCode === null) {
      sim.child.kill("SIGTERM");
      await sim.exited;
    }
  });

  afterEach(async () => {
    await page?.close();
  });

  it("function-calling tells the weather in Tokyo with 0 violations on the answer and its two model calls", {
    timeout: 60_000,
  }, async () => {
    page = await openChatPage(browser, sim.url);
    // Tall enough for the inspector to show all three exchanges in the screenshot.
    await page.setViewportSize({ width: 1440, height: 1800 });
    const ui = new ChatPageDriver(page);
    await ui.chatWith("function-calling");
    await ui.send("What is the weather in Tokyo?");
    const answer = ui.finishedAnswers().last();
    await expect
      .poll(() => answer.getByTestId("message-content").textContent(), { timeout: 30_000 })
      .toContain('"location":"Tokyo","temperature":11');

    // Pin the answer in the inspector, as a user clicking it does.
    await answer.getByTestId("message-content").click();
    const inspector = page.getByTestId("inspector");
    const exchanges = inspector.getByTestId("exchange");
    const done = inspector.locator("[data-testid=exchange][data-status=complete]");
    await expect.poll(() => done.count()).toBe(3);
    expect(await exchanges.count()).toBe(3);
    const routes = await exchanges.locator(".route").allTextContents();
    expect(routes.map((route) => route.replace(/\s+/g, " ").trim())).toEqual([
      "Simulator → function-calling",
      "function-calling → GPT-4o-Mini",
      "function-calling → GPT-4o-Mini",
    ]);
    const counts = await exchanges
      .getByTestId("violation-count")
      .evaluateAll((badges) => badges.map((badge) => badge.getAttribute("data-count")));
    expect(counts).toEqual(["0", "0", "0"]);
    expect(await inspector.getByTestId("violation").count()).toBe(0);
    expect(await answer.getByTestId("violation-badge").count()).toBe(0);

    const file = await ui.shot("npm-start-function-calling");
    console.log(`npm start, function-calling in the page: screenshot saved to ${file}`);
  });
});
