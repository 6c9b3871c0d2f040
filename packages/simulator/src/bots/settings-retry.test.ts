import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type RawSseServer, startRawSseServer } from "../../../poekit/src/test-support/raw-sse-server.js";
import { createConversation, sendMessage } from "../conversation/conversations.js";
import { createTestContext, type TestContext } from "../test-support/test-context.js";
import { SETTINGS_RETRY_DELAYS_MS } from "./settings-retry.js";

/** A settings answer of the wrong shape: status, content type and body as written. */
interface WrongReply {
  status: number;
  body: string;
}

const NOT_JSON: WrongReply = { status: 200, body: "<html>settings</html>" };
const FAILS_SCHEMA: WrongReply = { status: 200, body: '{"allow_attachments": "yes"}' };
const SERVER_ERROR: WrongReply = { status: 500, body: "Internal Server Error" };
const GOOD = '{"response_version": 2, "introduction_message": "fixed"}';

/**
 * A stand-in bot whose settings answers are taken in turn from `replies` (the correct settings once
 * they run out); queries get a short valid answer.
 */
async function standInBot(replies: WrongReply[]): Promise<RawSseServer> {
  return startRawSseServer({
    bot: ({ body, response }) => {
      if (body.type === "settings") {
        const reply = replies.shift() ?? { status: 200, body: GOOD };
        response.writeHead(reply.status, { "content-type": "application/json" });
        response.end(reply.body);
        return;
      }
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end('event: text\r\ndata: {"text": "ok"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n');
    },
  });
}

const settingsFetches = (bot: RawSseServer) => bot.queries.filter((q) => q.body.type === "settings").length;

describe("a settings answer of the wrong shape", () => {
  let context: TestContext;
  let bot: RawSseServer;

  afterEach(async () => {
    await context.close();
    await bot.close();
  });

  describe("retried on a schedule", () => {
    beforeEach(() => {
      context = createTestContext({ settingsRetryDelaysMs: [10, 10, 10] });
    });

    it("is reported to the bot with report_error, shown with how to fix it, and retried until the bot answers correctly", async () => {
      bot = await standInBot([NOT_JSON, FAILS_SCHEMA, SERVER_ERROR]);
      const record = await context.registry.register({ name: "Flaky", url: `${bot.baseUrl}bot` });

      // Meanwhile the bot works with Poe's defaults, and the page says what is wrong.
      expect(record.settings.introductionMessage).toBeNull();
      expect(record.settingsError).toMatch(/^The settings answer is not JSON: <html>settings<\/html>/);
      expect(record.settingsError).toContain('Answer a "settings" request with HTTP 200');
      expect(record.settingsError).toContain("Poe's defaults apply until a fetch succeeds.");
      expect(record.settingsError).toContain("again in 10 ms (retry 1 of 3");

      await expect.poll(() => context.registry.settings("Flaky").introductionMessage).toBe("fixed");
      expect(context.registry.get("Flaky")?.settingsError).toBeNull();
      expect(settingsFetches(bot)).toBe(4);
      // One report per wrong answer, saying what was wrong; each with the key the bot is sent.
      await context.tasks.idle();
      expect(bot.reports.map((report) => report.body.message)).toEqual([
        expect.stringMatching(/^The settings answer is not JSON/),
        expect.stringMatching(/^Invalid settings at allow_attachments: .*Fix that field/),
        expect.stringMatching(/^The settings request got HTTP 500: Internal Server Error/),
      ]);
      expect(bot.reports[0]?.body).toMatchObject({
        version: "1.2",
        type: "report_error",
        metadata: { request_type: "settings" },
      });
      const key = context.registry.get("Flaky")?.generatedAccessKey;
      expect(bot.reports[0]?.headers.authorization).toBe(`Bearer ${key}`);
      // The page heard of the retries.
      expect(context.published.filter((event) => event.type === "bots").length).toBeGreaterThanOrEqual(3);
    });

    it("stops after the timed retries, then tries once more at each message to the bot", async () => {
      bot = await standInBot([NOT_JSON, NOT_JSON, NOT_JSON, NOT_JSON, NOT_JSON]);
      await context.registry.register({ name: "Flaky", url: `${bot.baseUrl}bot` });
      await expect
        .poll(() => context.registry.get("Flaky")?.settingsError)
        .toContain("fetches them again at the next message to the bot");
      await context.tasks.idle();
      expect(settingsFetches(bot)).toBe(4);
      expect(bot.reports).toHaveLength(4);

      // The next message answers with the settings in force and fetches them in the background.
      const conversation = createConversation(context, "Flaky");
      sendMessage(context, conversation.id, { text: "hi", attachments: [], parameters: {} });
      await context.tasks.idle();
      expect(settingsFetches(bot)).toBe(5);
      expect(context.registry.get("Flaky")?.settingsError).toMatch(/^The settings answer is not JSON/);

      // This one finds the bot fixed.
      sendMessage(context, conversation.id, { text: "again", attachments: [], parameters: {} });
      await context.tasks.idle();
      expect(settingsFetches(bot)).toBe(6);
      expect(context.registry.get("Flaky")?.settingsError).toBeNull();
      expect(context.registry.settings("Flaky").introductionMessage).toBe("fixed");

      // Settings in force: messages fetch nothing more.
      sendMessage(context, conversation.id, { text: "third", attachments: [], parameters: {} });
      await context.tasks.idle();
      expect(settingsFetches(bot)).toBe(6);
    });

    it("keeps the previous settings when a later fetch fails", async () => {
      const replies: WrongReply[] = [];
      bot = await standInBot(replies);
      await context.registry.register({ name: "Flaky", url: `${bot.baseUrl}bot` });
      expect(context.registry.settings("Flaky").introductionMessage).toBe("fixed");

      replies.push(SERVER_ERROR);
      const after = await context.registry.refreshSettings("Flaky");
      expect(after.settings.introductionMessage).toBe("fixed");
      expect(after.settingsError).toContain("The previous settings stay in force.");
    });

    it("does not report a bot that cannot be reached, and does not retry a bot that has no settings (501)", async () => {
      bot = await standInBot([]);
      const gone = bot.baseUrl;
      await bot.close();
      const record = await context.registry.register({ name: "Gone", url: `${gone}bot` });
      expect(record.settingsError).toMatch(/^Could not reach/);

      bot = await startRawSseServer({
        none: ({ response }) => {
          response.writeHead(501, { "content-type": "application/json" });
          response.end('{"detail":"Unsupported request type"}');
        },
      });
      const none = await context.registry.register({ name: "None", url: `${bot.baseUrl}none` });
      expect(none.settingsError).toBeNull();
      await context.tasks.idle();
      expect(bot.reports).toHaveLength(0);
      expect(bot.queries).toHaveLength(1);
    });
  });

  it("retries on Poe-like delays with timers that neither keep the process alive nor outlive the simulator", async () => {
    expect(SETTINGS_RETRY_DELAYS_MS).toEqual([1_000, 5_000, 30_000]);
    const set = vi.spyOn(globalThis, "setTimeout");
    const cleared = vi.spyOn(globalThis, "clearTimeout");
    try {
      context = createTestContext();
      bot = await standInBot([NOT_JSON]);
      const record = await context.registry.register({ name: "Flaky", url: `${bot.baseUrl}bot` });
      expect(record.settingsError).toContain("again in 1 s (retry 1 of 3");
      const index = set.mock.calls.findIndex(([, delay]) => delay === 1_000);
      const timer = set.mock.results[index]?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      // What closing the simulator does first: stop the background work.
      await context.tasks.close();
      expect(cleared).toHaveBeenCalledWith(timer);
      expect(settingsFetches(bot)).toBe(1);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
