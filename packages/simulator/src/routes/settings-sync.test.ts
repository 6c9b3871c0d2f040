import { HTTPError, PoeBot, type SettingsResponse, syncBotSettings } from "poekit";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createTestContext,
  listen,
  mountRoutes,
  serveBot,
  type TestContext,
  type TestServer,
} from "../test-support/test-context.js";
import { settingsSyncRoutes } from "./settings-sync.js";

const KEY = "k".repeat(32);

/** A bot whose settings the test can change between fetches. */
class SettingsBot extends PoeBot {
  settings: SettingsResponse = { introduction_message: "Hello from the server" };

  override async getSettings(): Promise<SettingsResponse> {
    return this.settings;
  }
}

describe("settings sync", () => {
  let context: TestContext;
  let server: TestServer;
  let bot: SettingsBot;
  let botServer: { url: string; close(): Promise<void> };
  let baseUrl = "";

  beforeEach(async () => {
    context = createTestContext({
      bots: [{ name: "Builtin", kind: "builtin", description: "test", bot: new SettingsBot() }],
    });
    server = await listen(context, mountRoutes(context, [settingsSyncRoutes]));
    baseUrl = `${server.origin}/bot/`;
    bot = new SettingsBot({ accessKey: KEY });
    botServer = await serveBot(bot);
    await context.registry.register({ name: "Mine", url: botServer.url, accessKey: KEY });
    context.published.length = 0;
  });

  afterEach(async () => {
    await botServer.close();
    await server.close();
    await context.close();
  });

  it("logs a failure of the simulator without the access key in the URL", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(context.registry, "refreshSettings").mockRejectedValueOnce(new Error("disk full"));
    try {
      const response = await fetch(`${baseUrl}fetch_settings/Mine/${KEY}/1.2`, { method: "POST" });
      expect(response.status).toBe(500);
      expect(await response.json()).toHaveProperty("detail");
      const logged = errors.mock.calls.flat().map(String).join(" ");
      expect(logged).toContain("/bot/fetch_settings/:bot/:key");
      expect(logged).not.toContain(KEY);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("update_settings stores the settings sent by syncBotSettings and tells the page", async () => {
    const result = await syncBotSettings("Mine", KEY, {
      baseUrl,
      settings: { server_bot_dependencies: { Echo: 2 }, allow_attachments: false },
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: "ok", settings: { server_bot_dependencies: { Echo: 2 } } });
    const settings = context.registry.settings("Mine");
    expect(settings.serverBotDependencies).toEqual({ Echo: 2 });
    expect(settings.allowAttachments).toBe(false);
    expect(context.published.at(-1)).toMatchObject({ type: "bots" });
  });

  it("fetch_settings asks the bot server again", async () => {
    bot.settings = { introduction_message: "Changed", server_bot_dependencies: { Other: 1 } };
    const result = await syncBotSettings("Mine", KEY, { baseUrl });
    expect(result.body).toMatchObject({ status: "ok", settings: { introduction_message: "Changed" } });
    expect(context.registry.settings("Mine").introductionMessage).toBe("Changed");
    expect(context.published.at(-1)).toMatchObject({ type: "bots" });
  });

  it("fetch_settings answers 502 with the reason when the bot server cannot be reached", async () => {
    await botServer.close();
    const sync = syncBotSettings("Mine", KEY, { baseUrl });
    await expect(sync).rejects.toThrow(HTTPError);
    await expect(sync).rejects.toMatchObject({ status: 502 });
    await expect(sync).rejects.toThrow(/could not fetch the settings of bot \\"Mine\\"/);
    // Poe keeps the settings it had.
    expect(context.registry.settings("Mine").introductionMessage).toBe("Hello from the server");
  });

  it("refuses a wrong key with 401 and an unknown bot with 404", async () => {
    const wrong = syncBotSettings("Mine", "x".repeat(32), { baseUrl, settings: {} });
    await expect(wrong).rejects.toMatchObject({ status: 401 });
    await expect(wrong).rejects.toThrow(/not the key bot \\"Mine\\" was registered with/);
    await expect(syncBotSettings("Nobody", KEY, { baseUrl })).rejects.toMatchObject({ status: 404 });
    expect(context.registry.settings("Mine").introductionMessage).toBe("Hello from the server");
  });

  it("refuses a bot registered without a key, saying how to give one", async () => {
    context.store.bots.upsert({ name: "Keyless", kind: "url", url: botServer.url, accessKey: null });
    const sync = syncBotSettings("Keyless", KEY, { baseUrl, settings: {} });
    await expect(sync).rejects.toMatchObject({ status: 401 });
    await expect(sync).rejects.toThrow(/registered without an access key.*--bot Keyless=URL#KEY/);
    await expect(syncBotSettings("Builtin", KEY, { baseUrl })).rejects.toMatchObject({ status: 401 });
  });

  it("answers 400 saying what is wrong with invalid settings or a body that is not an object", async () => {
    const post = (body: string) =>
      fetch(`${baseUrl}update_settings/Mine/${KEY}/1.2`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
    const invalid = await post(JSON.stringify({ server_bot_dependencies: { Echo: "many" } }));
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).detail).toMatch(/server_bot_dependencies\.Echo/);
    for (const body of ["[]", "not json", "null"]) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ detail: expect.stringContaining("JSON object") });
    }
    // The version segment is optional, as in Poe's older docs.
    const withoutVersion = await fetch(`${baseUrl}update_settings/Mine/${KEY}`, {
      method: "POST",
      body: JSON.stringify({ introduction_message: "No version" }),
    });
    expect(withoutVersion.status).toBe(200);
    expect(context.registry.settings("Mine").introductionMessage).toBe("No version");
  });
});
