import { fileURLToPath } from "node:url";
import type { Http2Bindings, HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import { BotRegistry, type InProcessBot } from "./bots/registry.js";
import { StaleBots } from "./bots/stale-bots.js";
import type { SimulatorContext } from "./context.js";
import { AnswerQueue } from "./conversation/answer-queue.js";
import { Balance } from "./cost/balance.js";
import { DEFAULT_DB_PATH, DEFAULT_FILE_TTL_SECONDS } from "./defaults.js";
import { EventBus } from "./events/event-bus.js";
import { FileUrls } from "./files/file-urls.js";
import type { ExchangeLimits } from "./query/exchange-limits.js";
import { apiBotRoutes } from "./routes/api-bots.js";
import { apiConversationRoutes } from "./routes/api-conversations.js";
import { answerError } from "./routes/api-error.js";
import { apiEventRoutes } from "./routes/api-events.js";
import { apiMessageRoutes } from "./routes/api-messages.js";
import { apiStateRoutes } from "./routes/api-state.js";
import { apiUploadRoutes, MAX_UPLOAD_BYTES } from "./routes/api-uploads.js";
import { limitBody } from "./routes/body-limit.js";
import { botQueryRoutes } from "./routes/bot-query.js";
import { costRoutes } from "./routes/cost.js";
import { fileUploadRoutes } from "./routes/file-upload.js";
import { fileRoutes } from "./routes/files.js";
import { sameOriginOnly } from "./routes/same-origin.js";
import { settingsSyncRoutes } from "./routes/settings-sync.js";
import { staticPageRoutes } from "./routes/static-page.js";
import { openStore } from "./store/store.js";
import { TaskTracker } from "./task-tracker.js";
import { SIMULATOR_VERSION } from "./version.js";

/** How a simulator is put together; every field has a default. */
export interface SimulatorOptions {
  /** The SQLite file, or `":memory:"`; default `.poekit/simulator.db`. */
  db?: string;
  /** Bots the simulator runs itself (the built-ins and configured models). */
  inProcessBots?: readonly InProcessBot[];
  /** How long file URLs work, in seconds; default 600. */
  fileTtlSeconds?: number;
  /** The balance a new database starts with, in milli-cents of a US dollar. */
  balance?: number;
  /** Poe's limits, lowered in tests. */
  limits?: Partial<ExchangeLimits>;
  /** Where the built chat page is; default the package's `dist/page`. */
  pageDir?: string;
  /** The bot that describes images users attach (else they are described from their metadata). */
  visionBot?: string;
}

/** A simulator that is not listening yet: a fetch handler and what it is made of. */
export interface Simulator {
  context: SimulatorContext;
  /**
   * Answers a request. `bindings` are what `@hono/node-server` passes when it serves the simulator;
   * with them, event streams are written to Node's response directly.
   */
  fetch(request: Request, bindings?: HttpBindings | Http2Bindings): Promise<Response>;
  /** Tells the simulator its own origin once it listens (file URLs and same-origin checks use it). */
  setOrigin(origin: string): void;
  /** Stops background work and closes the database. */
  close(): Promise<void>;
}

const PAGE_DIR = fileURLToPath(new URL("../dist/page", import.meta.url));

const INTERRUPTED_ANSWER = {
  text: "The simulator stopped before this answer was complete.",
  allowRetry: true,
  errorType: null,
  rawResponse: null,
};

/**
 * Builds a simulator: the database, the bot registry and every route, as a fetch handler.
 *
 * @example
 * const simulator = createSimulator({ db: ":memory:" });
 * const response = await simulator.fetch(new Request("http://127.0.0.1/api/state"));
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const store = openStore(options.db ?? DEFAULT_DB_PATH);
  // Answers in progress when a simulator was killed are still marked so; none of them will end now.
  store.messages.failUnfinished(INTERRUPTED_ANSWER);
  store.exchanges.failRunning();
  let origin = "http://127.0.0.1";
  const bus = new EventBus();
  const tasks = new TaskTracker();
  const registry: BotRegistry = new BotRegistry(store, options.inProcessBots ?? [], {
    tasks,
    onSettingsChange: () => bus.publish({ type: "bots", bots: registry.list() }),
  });
  const context: SimulatorContext = {
    store,
    registry,
    staleBots: new StaleBots(bus),
    bus,
    fileUrls: new FileUrls(store.kv, options.fileTtlSeconds ?? DEFAULT_FILE_TTL_SECONDS),
    balance: new Balance(store.kv, options.balance),
    tasks,
    origin: () => origin,
    limits: options.limits,
    visionBot: options.visionBot,
    parsedContentCache: new Map(),
    answers: new AnswerQueue(),
  };

  const app = new Hono();
  app.use("/api/uploads", limitBody(MAX_UPLOAD_BYTES + 1024 * 1024));
  app.use("/poe_api/*", limitBody(MAX_UPLOAD_BYTES + 1024 * 1024));
  app.use("/bot/*", limitBody(16 * 1024 * 1024));
  const apiLimit = limitBody(1024 * 1024);
  app.use("/api/*", async (c, next) => (c.req.path === "/api/uploads" ? next() : apiLimit(c, next)));
  // Poe's APIs (settings sync, cost, file upload, bot queries) are called by bots and scripts, never
  // by a page: a browser on another site must not reach them, even with a key it somehow holds.
  const sameOrigin = sameOriginOnly(() => origin);
  for (const prefix of ["/api/*", "/bot/*", "/poe_api/*"]) app.use(prefix, sameOrigin);

  app.route("/api", apiStateRoutes(context, SIMULATOR_VERSION));
  app.route("/api/events", apiEventRoutes(context));
  app.route("/api/bots", apiBotRoutes(context));
  app.route("/api/conversations", apiConversationRoutes(context));
  app.route("/api/messages", apiMessageRoutes(context));
  app.route("/api/uploads", apiUploadRoutes(context));
  app.route("/", settingsSyncRoutes(context));
  app.route("/", costRoutes(context));
  app.route("/", botQueryRoutes(context));
  app.route("/", fileUploadRoutes(context));
  app.route("/", fileRoutes(context));
  app.route("/", staticPageRoutes(options.pageDir ?? PAGE_DIR));

  app.notFound((c) => c.json({ detail: `Nothing at ${c.req.method} ${c.req.path}.` }, 404));
  app.onError(answerError);

  return {
    context,
    fetch: (request, bindings) => Promise.resolve(app.fetch(request, bindings)),
    setOrigin: (value) => {
      origin = value;
    },
    close: async () => {
      await context.tasks.close();
      store.close();
    },
  };
}
