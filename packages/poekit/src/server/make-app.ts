import type { LogLevel } from "../core/log-level.js";
import type { Logger } from "../core/logger.js";
import { registerQuerySignal } from "../core/query-signals.js";
import { serializeSettings } from "../core/serialize-settings.js";
import { isJsonObject } from "../protocol/json.js";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "../protocol/json-depth.js";
import { DEFAULT_MAX_BODY_BYTES, PING_INTERVAL_MS } from "../protocol/limits.js";
import { PLAIN_QUERY_MAX_DEPTH, readPlainQueryRequest } from "../protocol/plain-query-request.js";
import { MISSING_ACCESS_KEY, type QueryRequest } from "../protocol/query-request.js";
import { formatIssues, isRequestType, REQUEST_SCHEMAS } from "../protocol/request-schemas.js";
import type { RequestObservation, RequestRecord } from "./access-record.js";
import { type Answer, toResponse } from "./answer.js";
import { answerers } from "./answerers.js";
import { AppRecords, appLoggers } from "./app-records.js";
import { checkAuthorization } from "./auth.js";
import { configureBots, type KeyOptions, normalizePath } from "./configure-bots.js";
import { type Incoming, incomingFromRequest } from "./incoming.js";
import { indexPage } from "./index-page.js";
import { errorAnswer, jsonAnswer } from "./json-answer.js";
import { LazyAbort } from "./lazy-abort.js";
import { POE_RESPONSE_LIMITS, type ResponseLimits } from "./limits-monitor.js";
import { OpenStreams } from "./open-streams.js";
import type { PoeApp } from "./poe-app.js";
import type { PoeBot } from "./poe-bot.js";
import { QueryStream, type StreamHost } from "./query-stream.js";
import { LiveRequestContext, type RequestContext } from "./request-context.js";
import { registerRequestLogger } from "./request-loggers.js";
import { holdOpen, SettingsSyncOnce, settingsSyncs } from "./settings-sync-once.js";

/** Options of {@link makeApp}. */
export interface MakeAppOptions extends KeyOptions {
  /** Largest request body accepted, in bytes; default 16 MiB. Larger ones get 413. */
  maxBodyBytes?: number;
  /** How deeply the body's JSON may nest; default 64 levels. Deeper bodies get 400. */
  maxJsonDepth?: number;
  /** How often a silent stream gets a `: ping` comment; default 15 s. */
  pingIntervalMs?: number;
  /** End a response with an `error` event when it breaks Poe's limits, instead of logging a warning. */
  strictLimits?: boolean;
  /** Poe's limits, lowered in tests. */
  limits?: Partial<ResponseLimits>;
  /**
   * Where to log; default the console. Any object with `info`, `warn` and `error` (and `debug`, used
   * when it exists) will do; a pino logger is called pino's way (docs/observability.md).
   */
  logger?: Logger;
  /**
   * Records below this level are dropped before they reach the logger (yours too: a pino logger at
   * `debug` gets poekit's debug records only with `debug` here). Default: `LOG_LEVEL` from `env`,
   * else `info`.
   */
  logLevel?: LogLevel;
  /** Log one line per request (at `info`): its {@link RequestRecord}. Default false; `run()` turns it on. */
  accessLog?: boolean;
  /**
   * Called with each request's {@link RequestRecord} as it ends, for your own metrics; on every
   * runtime. Keep it quick: it runs as the response ends. One that throws is logged and ignored.
   */
  onRequestEnd?: (record: RequestRecord) => void;
  /**
   * Send each bot's settings (from `getSettings`) to Poe once, in the background, when the bot has
   * both `botName` and `accessKey`, as fastapi_poe's `make_app` does; a failure is logged, never
   * thrown. Default true. `run()` syncs as it starts listening; elsewhere the app's first request
   * starts it, without waiting for it. `false` turns it off.
   */
  syncSettings?: boolean;
}

// Frozen: shared by every answer, and writers may cache what they derive from it.
const SSE_HEADERS = Object.freeze({
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
});
const ALLOW = { allow: "GET, HEAD, POST" };
const SHUTDOWN_TEXT = "The bot server is shutting down; please try again.";

/**
 * Makes the fetch handler of one bot or several (each on its own path). Fails at once, with a
 * {@link PoeConfigError}, when a key is missing or malformed or two bots share a path.
 * @example
 * const app = makeApp(new EchoBot(), { accessKey: process.env.POE_ACCESS_KEY });
 * export default { fetch: app.fetch }; // Cloudflare Workers, Bun, Deno
 */
export function makeApp(botOrBots: PoeBot | readonly PoeBot[], options: MakeAppOptions = {}): PoeApp {
  const bots = configureBots(botOrBots, options);
  const records = new AppRecords(options);
  const logger = records.logger;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxJsonDepth = options.maxJsonDepth ?? MAX_JSON_DEPTH;
  const pingIntervalMs = options.pingIntervalMs ?? PING_INTERVAL_MS;
  const limits = { ...POE_RESPONSE_LIMITS, ...options.limits };
  const strictLimits = options.strictLimits ?? false;
  const streams = new OpenStreams<QueryStream>();
  const idleWaiters = new Set<() => void>();
  const warnedSettings = new WeakSet<PoeBot>();

  // One keep-alive timer for all the streams, not one per stream: at thousands of open streams the
  // timers were a large part of each stream's memory.
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const tickAll = () => {
    for (const stream of streams.snapshot()) stream.tick();
  };
  const keepStreamsAlive = () => {
    if (keepAlive !== undefined) return;
    keepAlive = setInterval(tickAll, pingIntervalMs);
    (keepAlive as { unref?: () => void }).unref?.();
  };

  const streamHost: StreamHost = {
    limits,
    strictLimits,
    logger,
    onAttach: keepStreamsAlive,
    onEnd: (stream) => {
      streams.delete(stream);
      stream.observation?.end(200, stream);
      if (streams.size === 0) {
        clearInterval(keepAlive);
        keepAlive = undefined;
        for (const wake of idleWaiters) wake();
      }
    },
  };

  async function handle(incoming: Incoming, seen: RequestObservation): Promise<Answer> {
    const path = normalizePath(incoming.path);
    const bot = bots.get(path);
    if (!bot) {
      return errorAnswer(404, `No bot is served at ${path}. Paths served: ${[...bots.keys()].join(", ")}.`);
    }
    seen.bot = bot.botName ?? bot.constructor.name;
    const method = incoming.method;
    if (method === "GET" || method === "HEAD") return indexPage(path, bot.botName);
    if (method !== "POST") {
      return errorAnswer(405, `Method ${method} is not allowed; Poe sends POST.`, undefined, ALLOW);
    }
    if (bot.accessKey !== null) {
      const refused = checkAuthorization(incoming.header("authorization"), bot.accessKey);
      if (refused) return refused;
    }
    const body = await incoming.readBody(maxBodyBytes);
    if (!body.ok) return errorAnswer(body.status, body.detail);
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      return errorAnswer(400, "The request body is not valid JSON.");
    }
    const abort = new LazyAbort();
    const context = new LiveRequestContext(incoming, body.text, abort);
    // Most queries are plain enough to be read by hand, with the schema's result, and nest too little
    // to need the depth walk; the rest go through the checks below and the schema, which also words
    // what is wrong.
    const plain = maxJsonDepth >= PLAIN_QUERY_MAX_DEPTH ? readPlainQueryRequest(json) : undefined;
    if (plain !== undefined) return answerQuery(bot, plain, context, abort, seen);
    if (jsonDepthExceeds(json, maxJsonDepth)) {
      return errorAnswer(400, `The request body's JSON nests more than ${maxJsonDepth} levels deep.`);
    }
    if (!isJsonObject(json)) {
      return errorAnswer(400, "The request body must be a JSON object with a string field `type`.");
    }
    const type = json.type;
    if (typeof type !== "string") {
      return errorAnswer(
        400,
        "The request body has no string field `type` (query, settings, report_feedback, report_reaction or report_error).",
      );
    }
    if (!isRequestType(type)) return errorAnswer(501, `Unsupported request type: ${type}`);
    const parsed = REQUEST_SCHEMAS[type].safeParse(json);
    if (!parsed.success) {
      const issues = formatIssues(parsed.error.issues);
      const first = issues[0];
      return errorAnswer(400, `Invalid ${type} request: ${first?.path}: ${first?.message}`, { issues });
    }
    const data = parsed.data;
    seen.identify(type, data);
    switch (data.type) {
      case "query":
        return answerQuery(bot, data as QueryRequest, context, abort, seen);
      case "settings":
        return answerSettings(bot, seen.logger, () => bot.getSettingsWithContext(data, context));
      case "report_feedback":
        return answerReport(bot, type, seen.logger, () => bot.onFeedbackWithContext(data, context));
      case "report_reaction":
        return answerReport(bot, type, seen.logger, () => bot.onReactionWithContext(data, context));
      case "report_error":
        // The default onError has no context: it finds the app's logger by the request.
        registerRequestLogger(data, seen.logger);
        return answerReport(bot, type, seen.logger, () => bot.onErrorWithContext(data, context));
    }
  }

  function answerQuery(
    bot: PoeBot,
    parsed: QueryRequest,
    context: RequestContext,
    abort: LazyAbort,
    seen: RequestObservation,
  ): Promise<Answer> {
    // `parsed` is this request's own fresh parse, so it is completed in place.
    const key = bot.accessKey ?? MISSING_ACCESS_KEY;
    parsed.access_key = key;
    parsed.api_key = key;
    let query = parsed;
    if (bot.shouldInsertAttachmentMessages) query = bot.insertAttachmentMessages(query);
    else if (bot.concatAttachmentsToMessage) query = bot.concatAttachmentContentToMessageBody(query);

    // So a streamRequest the bot makes with this request is cancelled with the query, signal or not,
    // and counted in its record: the observation is the query's signal source.
    if (seen.type === undefined) seen.identify("query", parsed);
    seen.abort = abort;
    registerQuerySignal(query, seen);
    if (query !== parsed) registerQuerySignal(parsed, seen);
    const stream = new QueryStream(streamHost, bot, query, context, abort);
    stream.observation = seen;
    // A client that disconnects stops the bot: its body stream is cancelled (fetch) or its response closes (node:http).
    streams.add(stream);
    return stream.start().then(({ complete, text }): Answer => {
      if (complete) return { status: 200, headers: SSE_HEADERS, body: text };
      return { status: 200, headers: SSE_HEADERS, initial: text, stream };
    });
  }

  async function answerSettings(
    bot: PoeBot,
    logger: Logger,
    getSettings: () => Promise<unknown>,
  ): Promise<Answer> {
    const name = bot.botName ?? bot.constructor.name;
    let settings: unknown;
    try {
      // Called inside the try, so a hook that throws before returning its promise is caught too.
      settings = await getSettings();
    } catch (error) {
      logger.error(`Bot ${name}: getSettings failed`, error);
      return errorAnswer(
        500,
        `The bot's getSettings failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const result = serializeSettings(settings);
    if (!result.ok) {
      logger.error(`Bot ${name} returned invalid settings: ${result.detail}`);
      return errorAnswer(500, `The bot returned invalid settings: ${result.detail}`, {
        issues: result.issues,
      });
    }
    if (result.unknownKeys.length > 0 && !warnedSettings.has(bot)) {
      warnedSettings.add(bot);
      logger.warn(
        `Bot ${name}: settings fields unknown to poekit are sent as they are: ${result.unknownKeys.join(", ")}`,
      );
    }
    return jsonAnswer(200, result.settings);
  }

  async function answerReport(
    bot: PoeBot,
    type: string,
    logger: Logger,
    hook: () => Promise<void>,
  ): Promise<Answer> {
    try {
      await hook();
    } catch (error) {
      logger.error(`Bot ${bot.botName ?? bot.constructor.name}: the ${type} hook failed`, error);
    }
    return jsonAnswer(200, {});
  }

  const sync = new SettingsSyncOnce([...bots.values()], logger, options.syncSettings ?? true);

  // Every expected failure is answered in `handle`; this is a bug in poekit or in a runtime. A
  // rejection handler rather than an async wrapper: one layer fewer of promises per request.
  const unexpected = (error: unknown, seen: RequestObservation): Answer => {
    seen.logger.error("Unexpected failure while answering a request", error);
    return errorAnswer(500, "Internal error in the bot server.");
  };
  // A query's record ends with its stream (see onEnd); any other request's with its answer.
  const answered = (answer: Answer, seen: RequestObservation): Answer => {
    if (seen.abort === undefined) seen.end(answer.status);
    return answer;
  };
  const respond = (incoming: Incoming): Promise<Answer> => {
    const seen = records.begin(incoming);
    return handle(incoming, seen).then(
      (answer) => answered(answer, seen),
      (error: unknown) => answered(unexpected(error, seen), seen),
    );
  };
  const answer = (incoming: Incoming): Promise<Answer> => {
    // No start-up hook runs everywhere: the first request starts the sync, and does not wait for it.
    sync.start();
    return respond(incoming);
  };

  const app: PoeApp = {
    bots,
    settingsSynced: sync.synced,
    get openStreams() {
      return streams.size;
    },
    async fetch(request: Request, ...platform: unknown[]): Promise<Response> {
      const started = sync.start();
      if (started !== undefined) holdOpen(started, platform);
      return toResponse(await respond(incomingFromRequest(request)));
    },
    async drain(graceMs: number): Promise<number> {
      if (streams.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, graceMs);
          function done() {
            clearTimeout(timer);
            idleWaiters.delete(done);
            resolve();
          }
          idleWaiters.add(done);
        });
      }
      const cut = streams.size;
      for (const stream of streams.snapshot()) stream.shutDown(SHUTDOWN_TEXT, true);
      return cut;
    },
  };
  answerers.set(app, answer);
  appLoggers.set(app, logger);
  settingsSyncs.set(app, sync);
  return app;
}
