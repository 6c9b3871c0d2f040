import { MetaResponse, PoeBot, type SettingsResponse } from "poekit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, serveBot, type TestContext } from "../test-support/test-context.js";
import { createConversation, sendMessage } from "./conversations.js";

const KEY = "k".repeat(32);

/** A bot whose introduction changes at each settings fetch, and which may ask Poe to fetch again. */
class ChangingBot extends PoeBot {
  fetches = 0;
  refetch = true;

  override async *getResponse() {
    yield new MetaResponse({ content_type: "text/markdown", refetch_settings: this.refetch });
    yield "answered";
  }

  override async getSettings(): Promise<SettingsResponse> {
    this.fetches += 1;
    return { introduction_message: `fetch ${this.fetches}` };
  }
}

describe("meta.refetch_settings", () => {
  let context: TestContext;
  let bot: ChangingBot;
  let server: { url: string; close(): Promise<void> };

  beforeEach(async () => {
    context = createTestContext();
    bot = new ChangingBot({ accessKey: KEY });
    server = await serveBot(bot);
    await context.registry.register({ name: "Changing", url: server.url, accessKey: KEY });
  });

  afterEach(async () => {
    await server.close();
    await context.close();
  });

  async function answerOnce(): Promise<void> {
    const conversation = createConversation(context, "Changing");
    const { botMessages } = sendMessage(context, conversation.id, {
      text: "hi",
      attachments: [],
      parameters: {},
    });
    const id = botMessages[0]?.id as string;
    await expect.poll(() => context.store.messages.get(id)?.status).toBe("complete");
  }

  it("makes the simulator fetch the bot's settings again after the answer, and tell the page", async () => {
    expect(context.registry.settings("Changing").introductionMessage).toBe("fetch 1");
    context.published.length = 0;
    await answerOnce();
    await expect.poll(() => context.registry.settings("Changing").introductionMessage).toBe("fetch 2");
    expect(context.published.some((event) => event.type === "bots")).toBe(true);
  });

  it("leaves the settings alone when the meta does not ask", async () => {
    bot.refetch = false;
    await answerOnce();
    // The answer is stored before any refetch would start: give one a moment to show up.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.fetches).toBe(1);
  });
});
