import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { ErrorResponse, PartialResponse, type ReportFeedbackRequest } from "poekit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RawSseServer } from "../../poekit/src/test-support/raw-sse-server.js";
import { checkCase, inertProblems, SANITIZE_CASES } from "../page/src/sanitize.cases.js";
import { builtinInProcessBots } from "./bots/in-process-bots.js";
import type { InProcessBot } from "./bots/registry.js";
import { type RunningSimulator, startSimulator } from "./start.js";
import { startBrokenBots } from "./test-support/broken-bots.js";
import {
  buildPageIfMissing,
  ChatPageDriver,
  closePage,
  inProcessBot,
  openChatPage,
  ScriptBot,
} from "./test-support/chat-page.js";
import { browserTestsEnabled, launchChromium } from "./test-support/chromium.js";

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

/** A string a bot sends where the page shows text: a file name, an error, a suggested reply. */
const HOSTILE_HTML = `<img src=x onerror="window.__pwned='text'"><b>bold</b>`;

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
  return [
    ...builtinInProcessBots(),
    inProcessBot(
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
    inProcessBot(
      "Reader",
      new ScriptBot(
        async function* (request) {
          const file = request.query.at(-1)?.attachments[0];
          yield new PartialResponse({ text: `The file ${file?.name} says: ${file?.parsed_content}` });
        },
        { settings: { allow_attachments: true } },
      ),
    ),
    inProcessBot(
      "Failer",
      new ScriptBot(async function* () {
        yield new ErrorResponse({ text: "Temporary failure, try again.", allow_retry: true });
      }),
    ),
    inProcessBot(
      "Rated",
      new ScriptBot(
        async function* () {
          yield new PartialResponse({ text: "Do you like this?" });
        },
        { onFeedback: (request) => received.push(request) },
      ),
    ),
    inProcessBot(
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
    inProcessBot(
      "Reloaded",
      new ScriptBot(async function* () {
        yield new PartialResponse({ text: "the version that still runs" });
      }),
    ),
    inProcessBot(
      "Hostile",
      new ScriptBot(async function* () {
        yield new PartialResponse({ text: HOSTILE_MARKDOWN });
      }),
    ),
    inProcessBot(
      "Trickster",
      new ScriptBot(async function* () {
        for (const [url, name] of [
          ["javascript:window.__pwned='file-url'", HOSTILE_HTML],
          [" JaVa\tScRiPt:window.__pwned='file-url-2'", "second.txt"],
          ["data:text/html,<script>window.__pwned='data-url'</script>", "third.html"],
        ] as const) {
          yield new PartialResponse({
            text: "",
            attachment: { url, content_type: "text/html", name, inline_ref: null, parsed_content: null },
          });
        }
        yield new PartialResponse({ text: HOSTILE_HTML, is_suggested_reply: true });
        yield new PartialResponse({ text: "Here are files." });
        yield new ErrorResponse({ text: HOSTILE_HTML, allow_retry: false });
      }),
    ),
  ];
}

describe.runIf(browserTestsEnabled())("the chat page in Chromium", { timeout: 60_000 }, () => {
  let browser: Browser;
  let sim: RunningSimulator;
  let broken: RawSseServer;
  let page: Page;
  let ui: ChatPageDriver;

  beforeAll(async () => {
    await buildPageIfMissing();
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
    page = await openChatPage(browser, sim.url);
    ui = new ChatPageDriver(page);
  });

  afterEach((context) => closePage(page, context));

  it("streams Echo's answer in", async () => {
    await ui.startChat("Echo");
    await ui.send("Hello from the browser");
    await expect
      .poll(() => ui.botMessages().last().getByTestId("message-content").textContent())
      .toContain("Hello from the browser");
    await ui.shot("echo");
  });

  it("sends a suggested reply when it is clicked", async () => {
    await ui.startChat("Suggester");
    await ui.send("Hi");
    await page.getByTestId("suggested-reply").filter({ hasText: "Tell me more" }).click();
    await expect
      .poll(() => ui.botMessages().last().getByTestId("message-content").textContent())
      .toContain("Here is more.");
    await ui.shot("suggested-reply");
  });

  it("uploads a text file and the bot answers about its content", async () => {
    await ui.startChat("Reader");
    const file = path.join(tmpdir(), `poekit-notes-${process.pid}.txt`);
    writeFileSync(file, "The password is swordfish.");
    await page.getByTestId("attach-input").setInputFiles(file);
    await expect.poll(() => page.getByTestId("pending-attachment").count()).toBe(1);
    await ui.send("What does the file say?");
    await expect
      .poll(() => ui.botMessages().last().getByTestId("message-content").textContent())
      .toContain("says: The password is swordfish.");
    await ui.shot("attachment");
  });

  it("shows an error with a retry button, and retrying asks again", async () => {
    await ui.startChat("Failer");
    await ui.send("Fail please");
    await expect
      .poll(() => page.getByTestId("error-box").last().textContent())
      .toContain("Temporary failure");
    await ui.shot("error-retry");
    const before = await ui.botMessages().count();
    await page.getByTestId("retry-button").last().click();
    await expect.poll(() => ui.botMessages().count()).toBe(before + 1);
  });

  it("sends a like to the bot as report_feedback", async () => {
    await ui.startChat("Rated");
    await ui.send("Rate this");
    await expect
      .poll(() => ui.botMessages().last().getByTestId("message-content").textContent())
      .toContain("Do you like");
    await ui.botMessages().last().getByTestId("like-button").click();
    await expect.poll(() => received.map((request) => request.feedback_type)).toContain("like");
    await ui.shot("liked");
  });

  it("renders hostile Markdown inert", async () => {
    await ui.startChat("Hostile");
    await ui.send("Show me something dangerous");
    const content = ui.botMessages().last().getByTestId("message-content");
    await expect.poll(() => content.locator("table").count()).toBe(1);
    // Give anything that slipped through time to run before looking for its effect.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const html = await content.innerHTML();
    expect(html).not.toMatch(/<script|onerror=|onload=|javascript:|<iframe/i);
    await ui.shot("hostile-markdown");
  });

  it("shows hostile text typed into the composer as text, and nothing in it runs", async () => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.evaluate(`window.__inertProblems = ${inertProblems.toString()}`);
    await ui.startChat("Echo");
    const hostile = [
      "<script>alert('script')</script>",
      `<img src=x onerror="alert('img')">`,
      "[click me](javascript:alert('link')) and <a href=\"javascript:alert('a')\">raw</a>",
      "<svg onload=alert('svg')></svg><iframe src=\"javascript:alert('iframe')\"></iframe>",
      "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e ﷽ 😀 e\u0301",
      "x".repeat(50_000),
    ].join("\n");
    await ui.send(hostile);
    const user = page.locator("[data-testid=message][data-role=user]").last();
    await expect.poll(() => user.getByTestId("message-content").textContent()).toBe(hostile);
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    expect(await ui.botMessages().last().getByTestId("message-content").textContent()).toContain("𝔘𝔫𝔦𝔠𝔬𝔡𝔢");
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    for (const root of [user, ui.botMessages().last()]) {
      const problems = await root.evaluate((element) =>
        (window as unknown as { __inertProblems: (r: Element) => string[] }).__inertProblems(element),
      );
      expect(problems).toEqual([]);
    }
  });

  it("shows what a bot sends outside Markdown as text: file names and URLs, errors, suggestions, raw events", async () => {
    await page.evaluate(`window.__inertProblems = ${inertProblems.toString()}`);
    await ui.startChat("Trickster");
    await ui.send("Send me files");
    const message = ui.botMessages().last();
    await expect.poll(() => message.getByTestId("error-box").count()).toBe(1);
    await expect.poll(() => message.getByTestId("bot-file").count()).toBe(3);
    expect(await message.getByTestId("bot-file").first().textContent()).toContain(HOSTILE_HTML);
    expect(await message.getByTestId("error-box").textContent()).toContain(HOSTILE_HTML);
    expect(await message.getByTestId("suggested-reply").textContent()).toContain(HOSTILE_HTML);
    // No file URL that could run script on the simulator's origin becomes a link.
    expect(await message.locator("[data-testid=bot-file] a").count()).toBe(0);
    await expect.poll(() => page.getByTestId("raw-event").count()).toBeGreaterThan(4);
    for (const root of [message, page.getByTestId("inspector")]) {
      expect(await root.locator("img, b").count()).toBe(0);
      const problems = await root.evaluate((element) =>
        (window as unknown as { __inertProblems: (r: Element) => string[] }).__inertProblems(element),
      );
      expect(problems).toEqual([]);
    }
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it("passes every sanitiser case: hostile Markdown inert, ordinary Markdown intact", {
    timeout: 120_000,
  }, async () => {
    // Waits for the new conversation: a case sent before it opens would land in the one open before.
    await ui.startChat("Sanitizer");
    // The checks run inside the page, on the element that holds the rendered answer.
    await page.evaluate(
      `window.__checkCase = (testCase, root) => { ${inertProblems.toString()}; return (${checkCase.toString()})(testCase, root); }`,
    );
    const failures: string[] = [];
    for (const testCase of SANITIZE_CASES) {
      const before = await ui.botMessages().count();
      await ui.send(testCase.name);
      await expect
        .poll(() => page.locator("[data-testid=message][data-role=bot][data-status=complete]").count())
        .toBe(before + 1);
      const problems = await ui
        .botMessages()
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

  it("says on a conversation when its bot does not answer with its saved code, and why, until it does", async () => {
    const { staleBots } = sim.simulator.context;
    // A diagnostic quotes the user's code: it is shown as text, whatever it holds.
    const diagnostic = `index.ts:5:11 - error TS2322: Type '"${HOSTILE_HTML}"' is not assignable to type 'number'.`;
    const banner = () => page.getByTestId("stale-banner");
    const lead = async () => ((await banner().locator(".lead").textContent()) ?? "").replace(/\s+/g, " ");
    try {
      const servingSince = new Date(2026, 0, 1, 14, 2, 31).getTime();
      staleBots.set("Reloaded", {
        reason: "type-errors",
        summary: "2 type errors in index.ts",
        details: [diagnostic, "index.ts:9:3 - error TS2304: Cannot find name 'EchoBot'."],
        servingSince,
      });
      // A page opened after poekit dev said so finds it in the state it loads.
      await page.reload();
      await page.getByText("Live", { exact: true }).waitFor();
      await page.evaluate(`window.__inertProblems = ${inertProblems.toString()}`);
      await ui.startChat("Reloaded");
      const time = await page.evaluate(
        (ms) =>
          new Date(ms).toLocaleTimeString(undefined, {
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
          }),
        servingSince,
      );
      await expect
        .poll(lead)
        .toContain(
          `Not your saved code: 2 type errors in index.ts — still answering with the version from ${time}.`,
        );
      const details = banner().getByTestId("stale-detail");
      expect(await details.first().textContent()).toBe(diagnostic);
      expect(await details.nth(1).isVisible()).toBe(false);
      await banner().getByText("More errors").click();
      expect(await details.nth(1).textContent()).toContain("Cannot find name 'EchoBot'");
      expect(await banner().locator("img, b").count()).toBe(0);
      const problems = await banner().evaluate((element) =>
        (window as unknown as { __inertProblems: (r: Element) => string[] }).__inertProblems(element),
      );
      expect(problems).toEqual([]);
      await ui.shot("stale-banner");

      // Only on conversations with that bot.
      await ui.startChat("Echo");
      expect(await banner().count()).toBe(0);
      await ui.startChat("Reloaded");
      await expect.poll(() => banner().count()).toBe(1);

      // A save that loads clears it, live on the event stream; a stopped process shows again.
      staleBots.clear("Reloaded");
      await expect.poll(() => banner().count()).toBe(0);
      staleBots.set("Reloaded", {
        reason: "exited",
        summary: "the bot's process exited with code 3",
        details: [],
        servingSince: null,
      });
      await expect.poll(lead).toContain("Not answering: the bot's process exited with code 3.");
      await ui.shot("stale-banner-exited");
    } finally {
      staleBots.clear("Reloaded");
    }
    await expect.poll(() => banner().count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it("starts even when the address names a conversation that does not decode", async () => {
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    await page.goto(`${sim.url}/#/c/%E0%A4%A`);
    await page.reload();
    await expect.poll(() => page.getByTestId("bot-item").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it("keeps an answer finished when the send's own answer arrives after it", async () => {
    await ui.startChat("Echo");
    // Hold the POST's answer (a pending bot message) until the event stream has finished that message.
    await page.route("**/api/conversations/*/messages", async (route) => {
      const response = await route.fetch();
      await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
      await route.fulfill({ response });
    });
    await ui.send("Finished before the POST returns");
    await expect.poll(() => page.getByTestId("composer-input").inputValue()).toBe("");
    await page.waitForTimeout(200);
    expect(await ui.botMessages().last().getAttribute("data-status")).toBe("complete");
    expect(await ui.botMessages().last().getByTestId("message-content").textContent()).toContain(
      "Finished before the POST returns",
    );
  });

  it("keeps what the user types while the previous message is still being sent, and sends it", async () => {
    await ui.startChat("Echo");
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/api/conversations/*/messages", async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await ui.send("first message");
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    await page.getByTestId("composer-input").fill("second message");
    release();
    await page.waitForTimeout(200);
    expect(await page.getByTestId("composer-input").inputValue()).toBe("second message");
    await page.getByTestId("send-button").click();
    await expect.poll(() => ui.finishedAnswers().count()).toBe(2);
    expect(await ui.botMessages().last().getByTestId("message-content").textContent()).toContain(
      "second message",
    );
  });

  it("shows the conversation picked last when one picked before it loads late", async () => {
    const first = await ui.startChat("Echo");
    await ui.send("in the first conversation");
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    const second = await ui.startChat("Echo");
    await ui.send("in the second conversation");
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    let fulfilled = false;
    await page.route(`**/api/conversations/${first}`, async (route) => {
      const response = await route.fetch();
      await expect.poll(() => page.getByText("in the second conversation").count()).toBeGreaterThan(0);
      await route.fulfill({ response });
      fulfilled = true;
    });
    const item = (id: string) =>
      page.locator(`[data-testid=conversation-item][data-conversation-id="${id}"] .main`);
    await item(first).click();
    await item(second).click();
    await expect.poll(() => fulfilled).toBe(true);
    await page.waitForTimeout(200);
    expect(await ui.openConversationId()).toBe(second);
    const texts = await page.locator("[data-testid=message][data-role=user]").allTextContents();
    expect(texts.join(" ")).toContain("in the second conversation");
    expect(texts.join(" ")).not.toContain("in the first conversation");
  });

  it("opens the next conversation after deleting the open one, even when the event stream tells first", async () => {
    const older = await ui.startChat("Echo");
    const open = await ui.startChat("Echo");
    const item = page.locator(`[data-testid=conversation-item][data-conversation-id="${open}"]`);
    // Hold the DELETE's answer until the page has heard of the deletion on its event stream.
    await page.route(`**/api/conversations/${open}`, async (route) => {
      const response = await route.fetch();
      await expect.poll(() => item.count()).toBe(0);
      await route.fulfill({ response });
    });
    await item.getByRole("button", { name: /Delete conversation/ }).click();
    await expect.poll(() => ui.openConversationId()).toBe(older);
  });

  it("sends with Enter, adds a line with Shift+Enter, and announces messages in a live region", async () => {
    await ui.startChat("Echo");
    const input = page.getByTestId("composer-input");
    await input.focus();
    await page.keyboard.type("first line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    expect(await input.inputValue()).toBe("first line\nsecond line");
    await page.keyboard.press("Enter");
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    const userText = page.locator("[data-testid=message][data-role=user] [data-testid=message-content]");
    expect(await userText.last().textContent()).toBe("first line\nsecond line");
    expect(await input.inputValue()).toBe("");
    // Focus stays in the composer, with a visible ring.
    expect(
      await input.evaluate((el) => el.matches(":focus") && getComputedStyle(el).outlineStyle !== "none"),
    ).toBe(true);
    const log = page.locator("[role=log]");
    expect(await log.getAttribute("aria-live")).toBe("polite");
    expect(await log.locator("[data-testid=message]").count()).toBe(2);
  });

  it("shows an answer's 10,000 events a page at a time, and jumps to the one a violation names", {
    timeout: 60_000,
  }, async () => {
    await ui.startChat("Broken-too-many-events");
    await ui.send("hello");
    const jump = page.locator("[data-testid=violation][data-rule=too-many-events] button");
    await expect.poll(() => jump.count(), { timeout: 15_000 }).toBe(1);
    const rows = page.getByTestId("raw-event");
    await expect.poll(() => rows.count()).toBe(500);
    await page.getByTestId("show-more-events").click();
    await expect.poll(() => rows.count()).toBe(1000);
    const seq = /#(\d+)/.exec((await jump.textContent()) ?? "")?.[1];
    expect(Number(seq)).toBeGreaterThan(1000);
    await jump.click();
    const row = page.locator(`[data-testid=raw-event][data-seq="${seq}"]`);
    await expect
      .poll(() => row.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el))
      .toBe(true);
    expect(await rows.count()).toBe(1001);
  });

  it.each(Object.entries(BROKEN_IN_INSPECTOR))(
    "broken bot %s: the inspector shows its violation (%s) and the bot gets report_error",
    { timeout: 60_000 },
    async (route, rule) => {
      await ui.startChat(`Broken-${route}`);
      await ui.send("hello");
      // The silent bot takes Poe's 5 s first-byte limit to be given up on.
      await expect
        .poll(() => page.locator(`[data-testid=violation][data-rule="${rule}"]`).count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
      await ui.shot(`inspector-${route}`);
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
    await page.getByRole("button", { name: "Bots and conversations" }).click();
    // A bot clicked on a phone closes the panel and opens a conversation to write in.
    await ui.chatWith("Echo");
    const columns = Array.from({ length: 10 }, (_, i) => `column${i}`);
    await ui.send(
      [
        `\`\`\`\n${"x".repeat(300)}\n\`\`\``,
        `| ${columns.join(" | ")} |\n|${"---|".repeat(columns.length)}\n| ${columns.join(" | ")} |`,
        `https://example.com/${"z".repeat(300)}`,
      ].join("\n\n"),
    );
    await expect.poll(() => ui.finishedAnswers().last().locator("table").count()).toBe(1);
    // The app clips its own overflow, so the document never scrolls sideways: look inside it instead.
    // Nothing but a code block or a table may be wider than its box.
    const tooWide = await page.evaluate(() => {
      const found: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const element of root.querySelectorAll("*")) {
          if (element.shadowRoot) walk(element.shadowRoot);
          const style = getComputedStyle(element);
          if (style.overflowX === "visible" || style.textOverflow === "ellipsis") continue;
          if (element.matches(".sr-only, pre, table, .table-wrap, textarea")) continue;
          if (element.scrollWidth > element.clientWidth + 1) {
            found.push(`<${element.localName} class="${element.className}">: ${element.scrollWidth}px`);
          }
        }
      };
      walk(document);
      return found;
    });
    expect(tooWide).toEqual([]);
    // A wide table scrolls inside itself rather than breaking its words letter by letter.
    const headerLines = await ui
      .finishedAnswers()
      .last()
      .locator("th")
      .first()
      .evaluate((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      });
    expect(headerLines).toBe(1);
    await ui.shot("phone");
  });
});
