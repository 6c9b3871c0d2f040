import { formatLogger, type LogFormat, resolveLogFormat } from "../node/log-format.js";
import { parsePort } from "../node/parse-port.js";
import { type RunningServer, run } from "../node/run.js";
import type { PoeBot } from "../server/poe-bot.js";
import { type BotModule, loadBotModule } from "./load-bots.js";
import { DEFAULT_GRACE_SECONDS, DEFAULT_HOST, DEFAULT_PORT, type ServeFlags } from "./serve-options.js";
import {
  isServeWorker,
  parseWorkerCount,
  serveAsWorker,
  serveWithWorkers,
  type WorkerRunOptions,
} from "./serve-workers.js";
import { UserError } from "./user-error.js";

/**
 * What `poekit serve` does once its command line is read: serves the modules from this process, from
 * `--workers` processes (as their primary), or as one of those workers.
 * @example
 * await serveAction(["examples/echo"], { host: "127.0.0.1", allowWithoutKey: true });
 */
export async function serveAction(modules: string[], flags: ServeFlags): Promise<void> {
  const workers = parseWorkerCount(flags.workers);
  if (workers > 1 && flags.metricsPort !== undefined) {
    throw new UserError(
      "--metrics-port serves the metrics of one process; with --workers each scrape would reach one worker at random. Serve with one worker per process (several containers or services) to scrape each.",
    );
  }
  if (isServeWorker()) {
    const logger = formatLogger(logFormatOf(flags, process.env));
    await serveAsWorker((options) => serve(modules, flags, process.env, options), logger);
  } else if (workers > 1) {
    const graceMs = parseGraceSeconds(flags.grace) * 1000;
    const logger = formatLogger(logFormatOf(flags, process.env));
    await serveWithWorkers(workers, { host: resolveHost(flags.host, process.env), graceMs, logger });
  } else {
    await serve(modules, flags);
  }
}

/**
 * Loads the modules and serves their bots until SIGINT or SIGTERM. Every mistake the user can fix is
 * a {@link UserError} or a `PoeConfigError`, thrown before anything is served. A worker of
 * `--workers` passes `workerOptions`, which replace the flags' for the same options of `run()`.
 * @example
 * const server = await serve(["examples/echo"], { host: "127.0.0.1", allowWithoutKey: true });
 */
export async function serve(
  modules: readonly string[],
  flags: ServeFlags,
  env: Record<string, string | undefined> = process.env,
  workerOptions: WorkerRunOptions = {},
): Promise<RunningServer> {
  const port = resolvePort(flags.port, env);
  const host = resolveHost(flags.host, env);
  const graceMs = parseGraceSeconds(flags.grace) * 1000;
  const logFormat = logFormatOf(flags, env);
  const loaded: BotModule[] = [];
  for (const given of modules) loaded.push(await loadBotModule(given));
  if (loaded.length > 1) moveRootBotsToModuleNames(loaded);
  const bots = loaded.flatMap((module) => module.bots);
  if (flags.accessKey !== undefined && bots.length > 1) {
    throw new UserError(
      `--access-key is the key of a single bot, but ${bots.length} bots are being served; set each bot's own key in its code (new MyBot({ accessKey: process.env.MY_BOT_KEY })), or serve them one per process.`,
    );
  }
  if (flags.botName !== undefined && bots.length > 1) {
    throw new UserError(
      `--bot-name names a single bot, but ${bots.length} bots are being served; set each bot's botName in its code (new MyBot({ botName: "MyBot" })).`,
    );
  }
  // A single bot is passed on its own, so that --access-key and POE_ACCESS_KEY apply to it.
  const botOrBots: PoeBot | PoeBot[] = bots.length === 1 && bots[0] ? bots[0] : bots;
  // run() reports a bad host or a busy port as a PoeConfigError, which the reporter shows as one line.
  return run(botOrBots, {
    port,
    host,
    graceMs,
    logFormat,
    ...(flags.metricsPort !== undefined && { metricsPort: parsePort(flags.metricsPort, "--metrics-port") }),
    allowWithoutKey: flags.allowWithoutKey === true,
    syncSettings: flags.syncSettings !== false,
    ...(flags.accessKey !== undefined && { accessKey: flags.accessKey }),
    ...(flags.botName !== undefined && { botName: flags.botName }),
    argv: [],
    env,
    ...workerOptions,
  });
}

function resolvePort(flag: string | undefined, env: Record<string, string | undefined>): number {
  if (flag !== undefined) return parsePort(flag, "--port");
  if (env.PORT) return parsePort(env.PORT, "PORT");
  return DEFAULT_PORT;
}

/** `--host`, else `HOST` (as PORT is read for the port), else every interface. */
function resolveHost(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag ?? (env.HOST || DEFAULT_HOST);
}

/** `--log-format`, else POEKIT_LOG_FORMAT, else by whether stdout is a terminal. */
function logFormatOf(flags: ServeFlags, env: Record<string, string | undefined>): LogFormat {
  const given = flags.logFormat;
  if (given !== undefined && !/^\s*(json|pretty)\s*$/i.test(given)) {
    throw new UserError(`--log-format must be json or pretty, got ${JSON.stringify(given)}.`);
  }
  return resolveLogFormat(given, env, process.stdout.isTTY === true);
}

function parseGraceSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_GRACE_SECONDS;
  if (!/^\d+(\.\d+)?$/.test(value.trim())) {
    throw new UserError(`--grace must be a number of seconds, like 10, got ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

/** Several modules share one server: each bot left on `/` moves to `/<module name>`. */
function moveRootBotsToModuleNames(modules: readonly BotModule[]): void {
  for (const module of modules) {
    for (const bot of module.bots) {
      if (bot.path === "/" || bot.path === "") bot.path = `/${module.name}`;
    }
  }
}
