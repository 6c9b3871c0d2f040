import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { makeApp, type PoeBot, silentLogger } from "poekit";
import { BotRegistry, type InProcessBot } from "../bots/registry.js";
import { StaleBots } from "../bots/stale-bots.js";
import type { SimulatorContext } from "../context.js";
import { AnswerQueue } from "../conversation/answer-queue.js";
import { Balance } from "../cost/balance.js";
import { DEFAULT_FILE_TTL_SECONDS } from "../defaults.js";
import { EventBus } from "../events/event-bus.js";
import { FileUrls } from "../files/file-urls.js";
import type { BusEvent } from "../model.js";
import type { ExchangeLimits } from "../query/exchange-limits.js";
import { answerError } from "../routes/api-error.js";
import { openStore } from "../store/store.js";
import { TaskTracker } from "../task-tracker.js";

/** What a test simulator is made of; every field has a default. */
export interface TestContextOptions {
  /** Bots the simulator runs in-process (a tiny `PoeBot` each). */
  bots?: readonly InProcessBot[];
  fileTtlSeconds?: number;
  /** The clock of the file URLs, so that a test can let them expire. */
  now?: () => number;
  /** The starting balance, in milli-cents of a US dollar. */
  balance?: number;
  limits?: Partial<ExchangeLimits>;
  /** When failed settings fetches are retried (default the simulator's schedule). */
  settingsRetryDelaysMs?: readonly number[];
}

/** A context for tests, whose origin can be set once a server listens. */
export interface TestContext extends SimulatorContext {
  setOrigin(origin: string): void;
  /** Every event published on the bus, in order. */
  published: BusEvent[];
  /** Stops background work and closes the in-memory database. */
  close(): Promise<void>;
}

/**
 * A simulator context with an in-memory database and the real registry, bus, file URLs, balance and
 * task tracker, independent of `app.ts` so that route modules can be tested on their own.
 *
 * @example
 * const context = createTestContext({ bots: [{ name: "Echo", kind: "builtin", description: "echo", bot }] });
 */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  const store = openStore(":memory:");
  let origin = "http://127.0.0.1:7777";
  const bus = new EventBus();
  const published: BusEvent[] = [];
  bus.subscribe((event) => published.push(event));
  const tasks = new TaskTracker();
  const registry: BotRegistry = new BotRegistry(store, options.bots ?? [], {
    tasks,
    onSettingsChange: () => bus.publish({ type: "bots", bots: registry.list() }),
    settingsRetryDelaysMs: options.settingsRetryDelaysMs,
  });
  return {
    store,
    registry,
    staleBots: new StaleBots(bus),
    bus,
    fileUrls: new FileUrls(store.kv, options.fileTtlSeconds ?? DEFAULT_FILE_TTL_SECONDS, options.now),
    balance: new Balance(store.kv, options.balance),
    tasks,
    origin: () => origin,
    limits: options.limits,
    parsedContentCache: new Map(),
    answers: new AnswerQueue(),
    setOrigin: (value) => {
      origin = value;
    },
    published,
    close: async () => {
      await tasks.close();
      store.close();
    },
  };
}

/**
 * A Hono app holding the given route modules at the root, with the error handling `app.ts` gives
 * every route ({@link answerError}).
 *
 * @example
 * const app = mountRoutes(context, [filesRoutes]);
 * await app.request("/files/x/y");
 */
export function mountRoutes(
  context: SimulatorContext,
  routes: ReadonlyArray<(context: SimulatorContext) => Hono>,
): Hono {
  const app = new Hono();
  for (const make of routes) app.route("/", make(context));
  app.onError(answerError);
  return app;
}

/** A route app listening on a free port of 127.0.0.1. */
export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `app` on 127.0.0.1 (a free port) and tells the context its origin, so that SDK functions can
 * call the routes over real HTTP, as bots do.
 *
 * @example
 * const server = await listen(context, app);
 * await syncBotSettings("A", key, { baseUrl: `${server.origin}/bot/` });
 */
export async function listen(context: TestContext, app: Hono): Promise<TestServer> {
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) =>
        resolve({ server, port: info.port }),
      );
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  context.setOrigin(origin);
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        // Streams a test left open must not keep the server from closing.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Serves a bot on 127.0.0.1 (a free port) the way a developer runs one, with its own access key (or
 * none, with `allowWithoutKey`), so that it can be registered by URL.
 *
 * @example
 * const server = await serveBot(new MyBot({ accessKey: "k".repeat(32) }));
 * await context.registry.register({ name: "Mine", url: server.url, accessKey: "k".repeat(32) });
 */
export async function serveBot(
  bot: PoeBot,
  options: { allowWithoutKey?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const poeApp = makeApp(bot, {
    logger: silentLogger,
    env: {},
    syncSettings: false,
    allowWithoutKey: options.allowWithoutKey,
  });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const server = serve(
        { fetch: (request) => poeApp.fetch(request), hostname: "127.0.0.1", port: 0 },
        (info) => resolve({ server, port: info.port }),
      );
    },
  );
  return {
    url: `http://127.0.0.1:${port}${bot.path}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
