import { PoeConfigError } from "../core/errors.js";
import { accessKeyProblem } from "../protocol/access-key.js";
import { isPoeBot } from "./bot-brand.js";
import type { PoeBot } from "./poe-bot.js";

/** The options of `makeApp` that decide who may call the bots. */
export interface KeyOptions {
  /** The access key of a single bot; else `POE_ACCESS_KEY` is read. */
  accessKey?: string;
  /** The bot's name on Poe, for a single bot. */
  botName?: string;
  /** Serve bots that have no access key, accepting any or no Authorization header. */
  allowWithoutKey?: boolean;
  /** Where `POE_ACCESS_KEY` is read from; default `process.env` where there is one. */
  env?: Record<string, string | undefined>;
}

const SEVERAL_BOTS_NO_KEY_HELP =
  "Give each bot its access key (new MyBot({ accessKey })), or allow requests without a key for local " +
  "testing (option allowWithoutKey, or --allow-without-key).";
const NO_KEY_HELP =
  "Give it the bot's access key from its settings page on Poe (option accessKey, the POE_ACCESS_KEY " +
  "environment variable, or --access-key), or allow requests without a key for local testing " +
  "(option allowWithoutKey, or --allow-without-key).";

/**
 * Checks the bots and settles each one's key: one bot may take its key from the options or the
 * environment; several bots carry their own. Every problem is a {@link PoeConfigError} raised before
 * anything is served. Returns the bots by normalized path.
 */
export function configureBots(
  botOrBots: PoeBot | readonly PoeBot[],
  options: KeyOptions,
): Map<string, PoeBot> {
  const bots = Array.isArray(botOrBots) ? [...botOrBots] : [botOrBots as PoeBot];
  if (bots.length === 0) throw new PoeConfigError("makeApp needs at least one bot.");
  for (const bot of bots) {
    // By brand, not instanceof: a bot built on another copy of poekit is served the same.
    if (!isPoeBot(bot)) {
      throw new PoeConfigError(
        "makeApp takes a PoeBot or an array of PoeBots (instances of a class that extends PoeBot).",
      );
    }
  }
  if (Array.isArray(botOrBots)) {
    if (options.accessKey !== undefined || options.botName !== undefined) {
      throw new PoeConfigError(
        "When serving several bots, set accessKey and botName on each bot, not in the options.",
      );
    }
  } else {
    settleSingleBot(botOrBots as PoeBot, options);
  }
  const byPath = new Map<string, PoeBot>();
  for (const bot of bots) {
    const path = normalizePath(bot.path);
    const name = bot.botName ?? bot.constructor.name;
    if (byPath.has(path)) {
      throw new PoeConfigError(
        `Two bots use the path ${path}; give each bot its own path (new MyBot({ path: "/name" })).`,
      );
    }
    if (bot.accessKey === null && !options.allowWithoutKey) {
      const help = bots.length > 1 ? SEVERAL_BOTS_NO_KEY_HELP : NO_KEY_HELP;
      throw new PoeConfigError(`The bot ${name} at ${path} has no access key. ${help}`);
    }
    if (bot.accessKey !== null) {
      const problem = accessKeyProblem(bot.accessKey);
      if (problem) throw new PoeConfigError(`The access key of the bot ${name} ${problem}.`);
    }
    byPath.set(path, bot);
  }
  return byPath;
}

function settleSingleBot(bot: PoeBot, options: KeyOptions): void {
  if (options.botName !== undefined) {
    if (bot.botName !== null && bot.botName !== options.botName) {
      throw new PoeConfigError(
        "The bot name is set both on the bot and in the options; set it in one place.",
      );
    }
    bot.botName = options.botName;
  }
  if (bot.accessKey !== null) {
    if (options.accessKey !== undefined && options.accessKey !== bot.accessKey) {
      throw new PoeConfigError(
        "The access key is set both on the bot and in the options; set it in one place.",
      );
    }
    return;
  }
  const env = options.env ?? processEnv();
  const key = options.accessKey ?? nonEmpty(env.POE_ACCESS_KEY);
  if (key === undefined) return;
  const problem = accessKeyProblem(key);
  if (problem) {
    const source = options.accessKey !== undefined ? "The access key given" : "POE_ACCESS_KEY";
    throw new PoeConfigError(`${source} ${problem}.`);
  }
  bot.accessKey = key;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** `process.env` where there is one (Node, Bun, Deno with compatibility), else nothing. */
export function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/** `/a/` and `/a` are the same path; `/` stays `/`. */
export function normalizePath(path: string): string {
  if (!path.startsWith("/")) path = `/${path}`;
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}
