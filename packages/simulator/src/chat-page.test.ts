import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import {
  ErrorResponse,
  PartialResponse,
  PoeBot,
  type QueryRequest,
  type ReportFeedbackRequest,
  type SettingsResponse,
} from "poekit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RawSseServer } from "../../poekit/src/test-support/raw-sse-server.js";
import { checkCase, inertProblems, SANITIZE_CASES } from "../page/src/sanitize.cases.js";
import { builtinInProcessBots } from "./bots/in-process-bots.js";
import type { InProcessBot } from "./bots/registry.js";
import { type RunningSimulator, startSimulator } from "./start.js";
import { startBrokenBots } from "./test-support/broken-bots.js";
import { browserTestsEnabled, launchChromium } from "./test-support/chromium.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
/** Screenshots land here, beside vitest's other output, for a person to look at. */
const SCREENSHOTS = path.join(packageRoot, "../../test-results/simulator");

/** A bot made of one function, for the page to talk to. */
class ScriptBot extends PoeBot {
  constructor(
    private readonly reply: (request: QueryRequest) => AsyncGenerator<PartialResponse | ErrorResponse>,
    private readonly settings: SettingsResponse = {},
    private readonly feedback?: (request: ReportFeedbackRequest) => void,
  ) {
    super();
  }
  override async *getResponse(request: QueryRequest) {
    yield* this.reply(request);
  }
  override async getSettings(): Promise<SettingsResponse> {
    return this.settings;
  }
  override async onFeedback(request: ReportFeedbackRequest): Promise<void> {
    this.feedback?.(request);
  }
}

const HOSTILE_MARKDOWN = [
  "# Hostile",
  "<script>window.__pwned = 'script'</script>",
  '<img src="x" onerror="window.__pwned = \'onerror\'">',
  "[click me](javascript:window.__pwned='link')",
  '<svg><script>window.__pwned = "svg-script"</script><circle onload="window.__pwned = \'svg\'"/></svg>',
  "<svg onload=\"window.__pwned = 'svg-onload'\"></svg>",
  '<a href="javascript:window.__pwned=1">raw link</a>',
  "<iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>",
  "| a | b |\n|---|---|\n| 1 | 2 |",
].join("\n\n");

const received: ReportFeedbackRequest[] = [];

/** The broken bots (test-support/broken-bots.ts) the inspector test registers, and the rule each breaks. */
const BROKEN_IN_INSPECTOR: Record<string, string> = {
  "no-done": "missing-done",
  "late-meta": "meta-not-first",
  "invalid-json": "invalid-json",
  "too-many-events": "too-many-events",
  silent: "first-byte-timeout",
};

function testBots(): InProcessBot[] {
  const bot = (name: string, instance: PoeBot): InProcessBot => ({
    name,
    kind: "builtin",
    description: "test",
    bot: instance,
  });
  return [
    ...builtinInProcessBots(),
    bot(
      "Suggester",
      new ScriptBot(async function* (request) {
        const last = request.query.at(-1)?.content ?? "";
        if (last === "Tell me more") {
          yield new PartialResponse({ text: "Here is more." });
          return;
        }
        yield new PartialResponse({ text: "Pick one." });
        yield new PartialResponse({ text: "Tell me more", is_suggested_reply: true });
      }),
    ),
    bot(
      "Reader",
      new ScriptBot(
        async function* (request) {
          const file = request.query.at(-1)?.attachments[0];
          yield new PartialResponse({ text: `The file ${file?.name} says: ${file?.parsed_content}` });
        },
        { allow_attachments: true },
      ),
    ),
    bot(
      "Failer",
      new ScriptBot(async function* () {
        yield new ErrorResponse({ text: "Temporary failure, try again.", allow_retry: true });
      }),
    ),
    bot(
      "Rated",
      new ScriptBot(
        async function* () {
          yield new PartialResponse({ text: "Do you like this?" });
        },
        {},
        (request) => received.push(request),
      ),
    ),
    bot(
      "Sanitizer",
      new ScriptBot(async function* (request) {
        const testCase = SANITIZE_CASES.find((candidate) => candidate.name === request.query.at(-1)?.content);
        for (const file of testCase?.files ?? []) {
          yield new PartialResponse({
            text: "",
            attachment: {
              url: file.url,
              content_type: file.contentType,
              name: file.name,
              inline_ref: file.inlineRef,
              parsed_content: null,
            },
          });
        }
        yield new PartialResponse({ text: testCase?.markdown ?? "no such case" });
      }),
    ),
    bot(
      "Hostile",
      new ScriptBot(async function* () {
        yield new PartialResponse({ text: HOSTILE_MARKDOWN });
      }),
    ),
  ];
}

describe.runIf(browserTestsEnabled())("the chat page in Chromium", () => {
  let browser: Browser;
  let sim: RunningSimulator;
  let broken: RawSseServer;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(path.join(packageRoot, "dist/page/index.html"))) {
      const { build } = await import("vite");
      await build({ configFile: path.join(packageRoot, "page/vite.config.ts"), logLevel: "warn" });
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    broken = await startBrokenBots();
    sim = await startSimulator({
      port: 0,
      db: path.join(tmpdir(), `poekit-page-${process.pid}.db`),
      inProcessBots: testBots(),
      bots: Object.keys(BROKEN_IN_INSPECTOR).map((route) => ({
        name: `Broken-${route}`,
        url: `${broken.baseUrl}${route}`,
      })),
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sim?.close();
    await broken?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("pageerror", (error) => console.error("page error:", error));
    await page.goto(sim.url);
    // Updates arrive on the page's event stream: act once it is connected.
    await page.getByText("Live", { exact: true }).waitFor();
  });

  // Each page holds an event stream open, and Chromium allows six connections per host.
  afterEach(async (context) => {
    // A failure leaves a picture of what the page showed.
    if (context.task.result?.state === "fail") {
      await page?.screenshot({
        path: path.join(SCREENSHOTS, `failed-${context.task.name.replace(/\W+/g, "-")}.png`),
      });
    }
    await page?.close();
  });

  async function startChat(botName: string): Promise<void> {
    await page.locator(`[data-testid=bot-item][data-bot-name="${botName}"] button`).first().click();
    await page.getByTestId("new-conversation").click();
  }

  async function send(text: string): Promise<void> {
    await page.getByTestId("composer-input").fill(text);
    await page.getByTestId("send-button").click();
  }

  const botMessages = () => page.locator("[data-testid=message][data-role=bot]");

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  it("streams Echo's answer in", async () => {
    await startChat("Echo");
    await send("Hello from the browser");
    await expect
      .poll(() => botMessages().last().getByTestId("message-content").textContent())
      .toContain("Hello from the browser");
    await shot("echo");
  });

  it("sends a suggested reply when it is clicked", async () => {
    await startChat("Suggester");
    await send("Hi");
    await page.getByTestId("suggested-reply").filter({ hasText: "Tell me more" }).click();
    await expect
      .poll(() => botMessages().last().getByTestId("message-content").textContent())
      .toContain("Here is more.");
    await shot("suggested-reply");
  });

  it("uploads a text file and the bot answers about its content", async () => {
    await startChat("Reader");
    const file = path.join(tmpdir(), `poekit-notes-${process.pid}.txt`);
    writeFileSync(file, "The password is swordfish.");
    await page.getByTestId("attach-input").setInputFiles(file);
    await expect.poll(() => page.getByTestId("pending-attachment").count()).toBe(1);
    await send("What does the file say?");
    await expect
      .poll(() => botMessages().last().getByTestId("message-content").textContent())
      .toContain("says: The password is swordfish.");
    await shot("attachment");
  });

  it("shows an error with a retry button, and retrying asks again", async () => {
    await startChat("Failer");
    await send("Fail please");
    await expect
      .poll(() => page.getByTestId("error-box").last().textContent())
      .toContain("Temporary failure");
    await shot("error-retry");
    const before = await botMessages().count();
    await page.getByTestId("retry-button").last().click();
    await expect.poll(() => botMessages().count()).toBe(before + 1);
  });

  it("sends a like to the bot as report_feedback", async () => {
    await startChat("Rated");
    await send("Rate this");
    await expect
      .poll(() => botMessages().last().getByTestId("message-content").textContent())
      .toContain("Do you like");
    await botMessages().last().getByTestId("like-button").click();
    await expect.poll(() => received.map((request) => request.feedback_type)).toContain("like");
    await shot("liked");
  });

  it("renders hostile Markdown inert", async () => {
    await startChat("Hostile");
    await send("Show me something dangerous");
    const content = botMessages().last().getByTestId("message-content");
    await expect.poll(() => content.locator("table").count()).toBe(1);
    // Give anything that slipped through time to run before looking for its effect.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const html = await content.innerHTML();
    expect(html).not.toMatch(/<script|onerror=|onload=|javascript:|<iframe/i);
    await shot("hostile-markdown");
  });

  it("passes every sanitiser case: hostile Markdown inert, ordinary Markdown intact", {
    timeout: 120_000,
  }, async () => {
    await startChat("Sanitizer");
    // The checks run inside the page, on the element that holds the rendered answer.
    await page.evaluate(
      `window.__checkCase = (testCase, root) => { ${inertProblems.toString()}; return (${checkCase.toString()})(testCase, root); }`,
    );
    const failures: string[] = [];
    for (const testCase of SANITIZE_CASES) {
      const before = await botMessages().count();
      await send(testCase.name);
      await expect
        .poll(() => page.locator("[data-testid=message][data-role=bot][data-status=complete]").count())
        .toBe(before + 1);
      const problems = await botMessages()
        .last()
        .getByTestId("message-content")
        .evaluate(
          (root, testCase) =>
            (window as unknown as { __checkCase: (c: unknown, r: Element) => string[] }).__checkCase(
              testCase,
              root,
            ),
          testCase,
        );
      if ((problems as string[]).length > 0)
        failures.push(`${testCase.name}: ${(problems as string[]).join(", ")}`);
    }
    expect(failures).toEqual([]);
    expect(
      await page.evaluate(() => (window as { __sanitizeBreach?: unknown }).__sanitizeBreach),
    ).toBeUndefined();
  });

  it.each(Object.entries(BROKEN_IN_INSPECTOR))(
    "broken bot %s: the inspector shows its violation (%s) and the bot gets report_error",
    { timeout: 60_000 },
    async (route, rule) => {
      await startChat(`Broken-${route}`);
      await send("hello");
      // The silent bot takes Poe's 5 s first-byte limit to be given up on.
      await expect
        .poll(() => page.locator(`[data-testid=violation][data-rule="${rule}"]`).count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
      await shot(`inspector-${route}`);
      await expect
        .poll(() =>
          broken.reports.filter((report) => report.path === `/${route}`).map((report) => report.body.message),
        )
        .not.toEqual([]);
    },
  );

  it("is readable on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect.poll(() => page.getByTestId("composer-input").isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shot("phone");
  });
});
