// What the browser tests of the chat page share: the built page, bots made of one function, a page
// opened on the simulator, and the steps a user takes in it.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "playwright-core";
import {
  type ErrorResponse,
  type PartialResponse,
  PoeBot,
  type QueryRequest,
  type ReportFeedbackRequest,
  type ReportReactionRequest,
  type SettingsResponse,
} from "poekit";
import { expect, type TestContext } from "vitest";
import type { InProcessBot } from "../bots/registry.js";

const packageRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Screenshots land here (git-ignored), beside vitest's other output, for a person to look at. */
export const SCREENSHOTS = path.join(packageRoot, "../../test-results/simulator");

/**
 * Builds the page when there is no build at all. A build older than the page's sources is used as it
 * is: `npm run test:all` builds the page before it runs the tests.
 */
export async function buildPageIfMissing(): Promise<void> {
  if (!existsSync(path.join(packageRoot, "dist/page/index.html"))) {
    const { build } = await import("vite");
    await build({ configFile: path.join(packageRoot, "page/vite.config.ts"), logLevel: "warn" });
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
}

/** What a {@link ScriptBot} does besides answering. */
export interface ScriptBotHooks {
  settings?: SettingsResponse;
  onFeedback?: (request: ReportFeedbackRequest) => void;
  onReaction?: (request: ReportReactionRequest) => void;
}

/** A bot made of one function, for the page to talk to. */
export class ScriptBot extends PoeBot {
  constructor(
    private readonly reply: (request: QueryRequest) => AsyncGenerator<PartialResponse | ErrorResponse>,
    private readonly hooks: ScriptBotHooks = {},
  ) {
    super();
  }
  override async *getResponse(request: QueryRequest) {
    yield* this.reply(request);
  }
  override async getSettings(): Promise<SettingsResponse> {
    return this.hooks.settings ?? {};
  }
  override async onFeedback(request: ReportFeedbackRequest): Promise<void> {
    this.hooks.onFeedback?.(request);
  }
  override async onReaction(request: ReportReactionRequest): Promise<void> {
    this.hooks.onReaction?.(request);
  }
}

/** A bot the simulator runs in its own process, under a name. */
export function inProcessBot(name: string, bot: PoeBot): InProcessBot {
  return { name, kind: "builtin", description: "test", bot };
}

/** Opens the page on the simulator and waits until its event stream is connected. */
export async function openChatPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (error) => console.error("page error:", error));
  await page.goto(url);
  // Updates arrive on the page's event stream: act once it is connected.
  await page.getByText("Live", { exact: true }).waitFor();
  return page;
}

/**
 * Closes a test's page, first saving a picture of what it showed when the test failed. Each page holds
 * an event stream open, and Chromium allows six connections per host: a page left open blocks others.
 */
export async function closePage(page: Page | undefined, context: TestContext): Promise<void> {
  if (context.task.result?.state === "fail") {
    await page?.screenshot({
      path: path.join(SCREENSHOTS, `failed-${context.task.name.replace(/\W+/g, "-")}.png`),
    });
  }
  await page?.close();
}

/** The element that has the focus, looking inside shadow roots, as `data-testid` (or its tag name). */
export function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element ? (element.getAttribute("data-testid") ?? element.localName) : null;
  });
}

/** The steps a user takes in the chat page, each waiting until the page shows its effect. */
export class ChatPageDriver {
  constructor(readonly page: Page) {}

  /** The bot messages of the open conversation. */
  botMessages(): Locator {
    return this.page.locator("[data-testid=message][data-role=bot]");
  }

  /** The bot messages whose answer is complete. */
  finishedAnswers(): Locator {
    return this.page.locator("[data-testid=message][data-role=bot][data-status=complete]");
  }

  /** The open conversation's item in the sidebar. */
  openConversationItem(): Locator {
    return this.page.locator("[data-testid=conversation-item]:has(button[aria-current=true])");
  }

  /** The id of the conversation open in the page, or null. */
  async openConversationId(): Promise<string | null> {
    const current = this.openConversationItem();
    return (await current.count()) ? current.getAttribute("data-conversation-id") : null;
  }

  /** The bot of the conversation open in the page, or null. */
  async openConversationBot(): Promise<string | null> {
    const current = this.openConversationItem();
    return (await current.count()) ? current.getAttribute("data-bot-name") : null;
  }

  /** Clicks a bot in the sidebar and waits until a conversation with it is open; returns its id. */
  async chatWith(botName: string): Promise<string> {
    await this.page
      .locator(`[data-testid=bot-item][data-bot-name="${botName}"] [data-testid=bot-chat]`)
      .click();
    await expect.poll(() => this.openConversationBot()).toBe(botName);
    return (await this.openConversationId()) ?? "";
  }

  /** Starts a new conversation with a bot and waits until it is the open one; returns its id. */
  async startChat(botName: string): Promise<string> {
    const before = await this.chatWith(botName);
    await this.page.getByTestId("new-conversation").click();
    await expect.poll(() => this.openConversationId()).not.toBe(before);
    return (await this.openConversationId()) ?? "";
  }

  async send(text: string): Promise<void> {
    await this.page.getByTestId("composer-input").fill(text);
    await this.page.getByTestId("send-button").click();
  }

  /** Saves a screenshot of the whole page under {@link SCREENSHOTS}; returns its path. */
  async shot(name: string): Promise<string> {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}
