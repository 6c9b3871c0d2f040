import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type FetchLike, installFetchOverride } from "../core/poe-api/transport.js";
import { type RunningServer, run } from "../node/run.js";
import type { SettingsRequest } from "../protocol/settings-request.js";
import type { SettingsResponse } from "../protocol/settings-response.js";
import { recordingLogger, TEST_KEY } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import type { PoeApp } from "./poe-app.js";
import { PoeBot, type PoeBotOptions } from "./poe-bot.js";
import type { RequestContext } from "./request-context.js";

const OTHER_KEY = `${"o".repeat(16)}fedcba9876543210`;

class SettingsBot extends PoeBot {
  readonly asked: SettingsRequest[] = [];
  constructor(
    options: PoeBotOptions,
    private readonly settings: () => SettingsResponse | Promise<SettingsResponse> = () => ({
      introduction_message: "Hi",
    }),
  ) {
    super(options);
  }
  override async getSettings(request: SettingsRequest): Promise<SettingsResponse> {
    this.asked.push(request);
    return this.settings();
  }
}

interface Call {
  url: string;
  body: unknown;
}

let calls: Call[];
let respond: (call: Call) => Response | Promise<Response>;
let removeOverride: () => void;

beforeEach(() => {
  vi.stubEnv("POE_API_BASE_URL", "");
  calls = [];
  respond = () => Response.json({});
  const fetch: FetchLike = async (input, init) => {
    const call = {
      url: String(input),
      body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
    };
    calls.push(call);
    return respond(call);
  };
  removeOverride = installFetchOverride(fetch);
});
afterEach(() => {
  removeOverride();
  vi.unstubAllEnvs();
});

function expectNoKeyIn(lines: readonly string[]) {
  for (const line of lines) {
    expect(line).not.toContain(TEST_KEY);
    expect(line).not.toContain(OTHER_KEY);
  }
}

const SYNCING = (names: string) =>
  `info Syncing the settings of ${names} to Poe (syncSettings: false turns this off)`;

/** makeApp syncs on its first request: sends one (any path will do) and waits for the sync. */
async function firstRequest(app: PoeApp): Promise<void> {
  await app.fetch(new Request("http://bot.test/"));
  await app.settingsSynced;
}

describe("makeApp start-up settings sync", () => {
  it("sends the bot's settings to update_settings and logs success", async () => {
    const logger = recordingLogger();
    const bot = new SettingsBot({ botName: "MyBot", accessKey: TEST_KEY });
    const app = makeApp(bot, { logger, env: {} });
    // makeApp returns before the bot's getSettings runs.
    expect(bot.asked).toHaveLength(0);
    await firstRequest(app);
    expect(bot.asked).toEqual([{ version: "1.2", type: "settings" }]);
    expect(calls).toEqual([
      {
        url: `https://api.poe.com/bot/update_settings/MyBot/${TEST_KEY}/1.2`,
        body: { introduction_message: "Hi", response_version: 2 },
      },
    ]);
    expect(logger.lines).toEqual([SYNCING("MyBot"), "info Settings of MyBot synced to Poe"]);
  });

  it("asks a bot that overrides only getSettingsWithContext, with a context of its own", async () => {
    const seen: string[] = [];
    class ContextBot extends PoeBot {
      override async getSettingsWithContext(_request: SettingsRequest, context: RequestContext) {
        seen.push(new URL(context.request.url).pathname, String(context.signal.aborted));
        return { introduction_message: "From the context hook" };
      }
    }
    const bot = new ContextBot({ botName: "Ctx", accessKey: TEST_KEY, path: "/ctx" });
    await firstRequest(makeApp(bot, { logger: recordingLogger(), env: {} }));
    expect(seen).toEqual(["/ctx", "false"]);
    expect(calls[0]?.body).toEqual({ introduction_message: "From the context hook", response_version: 2 });
  });

  it("takes the bot name and key from the options of a single bot", async () => {
    const logger = recordingLogger();
    const app = makeApp(new SettingsBot({}), {
      logger,
      env: {},
      botName: "Named",
      accessKey: TEST_KEY,
    });
    await firstRequest(app);
    expect(calls[0]?.url).toBe(`https://api.poe.com/bot/update_settings/Named/${TEST_KEY}/1.2`);
  });

  it("logs a refusal by Poe as a warning without the key, and never throws", async () => {
    respond = () => new Response(`unknown key ${TEST_KEY}`, { status: 401 });
    const logger = recordingLogger();
    const app = makeApp(new SettingsBot({ botName: "MyBot", accessKey: TEST_KEY }), {
      logger,
      env: {},
    });
    await app.fetch(new Request("http://bot.test/"));
    await expect(app.settingsSynced).resolves.toBeUndefined();
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]).toMatch(/^warn Settings of MyBot were not synced to Poe/);
    expect(logger.lines[1]).toMatch(/Check the bot name and the access key/);
    expectNoKeyIn(logger.lines);
  });

  it("logs an unreachable Poe as a warning", async () => {
    respond = () => Promise.reject(new TypeError("fetch failed"));
    const logger = recordingLogger();
    const app = makeApp(new SettingsBot({ botName: "MyBot", accessKey: TEST_KEY }), {
      logger,
      env: {},
    });
    await firstRequest(app);
    expect(logger.lines[1]).toMatch(/^warn .*Could not reach Poe.*fetch failed/);
    expectNoKeyIn(logger.lines);
  });

  it("logs a getSettings that throws, or returns invalid settings, and sends nothing", async () => {
    const logger = recordingLogger();
    const throwing = new SettingsBot({ botName: "Thrower", accessKey: TEST_KEY, path: "/a" }, () => {
      throw new Error(`database down (key ${TEST_KEY})`);
    });
    const invalid = new SettingsBot(
      { botName: "Invalid", accessKey: OTHER_KEY, path: "/b" },
      () => ({ rate_card: 5 }) as unknown as SettingsResponse,
    );
    const app = makeApp([throwing, invalid], { logger });
    await firstRequest(app);
    expect(calls).toHaveLength(0);
    expect(logger.lines).toHaveLength(3);
    expect(logger.lines.find((line) => line.startsWith("warn") && line.includes("Thrower"))).toMatch(
      /^warn .*database down \(key \*\*\*\)/,
    );
    expect(logger.lines.find((line) => line.startsWith("warn") && line.includes("Invalid"))).toMatch(
      /^warn .*rate_card/,
    );
    expectNoKeyIn(logger.lines);
  });

  it("syncs several bots independently: one failure does not stop the others", async () => {
    respond = (call) =>
      call.url.includes("/Bad/") ? new Response("no", { status: 404 }) : Response.json({ ok: true });
    const logger = recordingLogger();
    const app = makeApp(
      [
        new SettingsBot({ botName: "Good", accessKey: TEST_KEY, path: "/good" }),
        new SettingsBot({ botName: "Bad", accessKey: OTHER_KEY, path: "/bad" }),
      ],
      { logger },
    );
    await firstRequest(app);
    expect(calls).toHaveLength(2);
    expect(logger.lines).toContain("info Settings of Good synced to Poe");
    expect(logger.lines.some((line) => line.startsWith("warn Settings of Bad were not synced"))).toBe(true);
    expectNoKeyIn(logger.lines);
  });

  it("skips bots without a key silently and says why a keyed bot without a name is skipped", async () => {
    const logger = recordingLogger();
    const app = makeApp(
      [
        new SettingsBot({ botName: "Open", path: "/open" }),
        new SettingsBot({ accessKey: TEST_KEY, path: "/nameless" }),
      ],
      { logger, allowWithoutKey: true },
    );
    await firstRequest(app);
    expect(calls).toHaveLength(0);
    expect(logger.lines).toEqual([
      "info Settings of the bot at /nameless are not synced to Poe: it has no botName. Set botName to sync them at start-up.",
    ]);
  });

  it("starts on the first request without delaying its answer, once per app", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    respond = async () => {
      await held;
      return Response.json({});
    };
    const logger = recordingLogger();
    const bot = new SettingsBot({ botName: "MyBot", accessKey: TEST_KEY });
    const app = makeApp(bot, { logger, env: {} });
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Nothing before a request: Workers refuse network calls outside one.
    expect(bot.asked).toHaveLength(0);
    // Poe's stand-in has not answered, yet the request is answered.
    expect((await app.fetch(new Request("http://bot.test/"))).status).toBe(200);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await app.fetch(new Request("http://bot.test/"));
    release();
    await app.settingsSynced;
    expect(calls).toHaveLength(1);
    expect(logger.lines).toEqual([SYNCING("MyBot"), "info Settings of MyBot synced to Poe"]);
  });

  it("hands the sync to the waitUntil of the runtime's request context, once", async () => {
    const app = makeApp(new SettingsBot({ botName: "MyBot", accessKey: TEST_KEY }), {
      logger: recordingLogger(),
      env: {},
    });
    const kept: Promise<unknown>[] = [];
    // As Workers call it: fetch(request, env, ctx).
    const ctx = { waitUntil: (promise: Promise<unknown>) => kept.push(promise) };
    await app.fetch(new Request("http://bot.test/"), { POE_ACCESS_KEY: "env" }, ctx);
    await app.fetch(new Request("http://bot.test/"), {}, ctx);
    expect(kept).toHaveLength(1);
    await kept[0];
    expect(calls).toHaveLength(1);
  });

  it("does nothing with syncSettings: false, and settingsSynced is already resolved", async () => {
    const logger = recordingLogger();
    const bot = new SettingsBot({ botName: "MyBot", accessKey: TEST_KEY });
    const app = makeApp(bot, { logger, env: {}, syncSettings: false });
    await app.settingsSynced;
    await firstRequest(app);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(bot.asked).toHaveLength(0);
    expect(calls).toHaveLength(0);
    expect(logger.lines).toEqual([]);
  });

  it("has nothing to wait for when no bot has a key", async () => {
    const app = makeApp(new SettingsBot({ botName: "Open" }), {
      logger: recordingLogger(),
      allowWithoutKey: true,
      env: {},
    });
    await app.settingsSynced;
    expect(calls).toHaveLength(0);
  });
});

describe("run() syncs settings at start-up by default, on real sockets", () => {
  const received: string[] = [];
  let fakePoe: Server;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    fakePoe = createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push(`${request.method} ${request.url} ${body}`);
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
      });
    });
    await new Promise<void>((resolve) => fakePoe.listen(0, "127.0.0.1", resolve));
  });

  beforeEach(() => {
    // These tests talk to the fake Poe through the real global fetch.
    removeOverride();
    received.length = 0;
    vi.stubEnv("POE_API_BASE_URL", `http://127.0.0.1:${(fakePoe.address() as AddressInfo).port}`);
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close(0)));
  });

  afterAll(async () => {
    fakePoe.closeAllConnections();
    await new Promise((resolve) => fakePoe.close(resolve));
  });

  async function serve(syncSettings?: boolean) {
    const logger = recordingLogger();
    const server = await run(new SettingsBot({ botName: "Live", accessKey: TEST_KEY }), {
      port: 0,
      host: "127.0.0.1",
      handleSignals: false,
      env: {},
      logger,
      ...(syncSettings !== undefined && { syncSettings }),
    });
    servers.push(server);
    await server.app.settingsSynced;
    return logger;
  }

  it("sends update_settings to POE_API_BASE_URL", async () => {
    const logger = await serve();
    expect(received).toEqual([
      `POST /bot/update_settings/Live/${TEST_KEY}/1.2 {"introduction_message":"Hi","response_version":2}`,
    ]);
    expect(logger.lines).toContain("info Settings of Live synced to Poe");
    expectNoKeyIn(logger.lines);
  });

  it("syncs once: the app's first request does not sync again", async () => {
    const logger = await serve();
    const server = servers[0] as RunningServer;
    expect((await fetch(server.url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toHaveLength(1);
    expect(logger.lines.filter((line) => line.includes("synced to Poe"))).toHaveLength(1);
  });

  it("does not sync with syncSettings: false, not even on a request", async () => {
    await serve(false);
    const server = servers[0] as RunningServer;
    await fetch(server.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
  });
});
