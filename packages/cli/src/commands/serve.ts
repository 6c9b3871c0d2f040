import type { Command } from "commander";
import type { PoeBot } from "poekit";
import { parsePort, type RunningServer, run } from "poekit/node";
import { type BotModule, loadBotModule } from "../load-bots.js";
import { UserError } from "../user-error.js";
import {
  isServeWorker,
  parseWorkerCount,
  serveAsWorker,
  serveWithWorkers,
  type WorkerRunOptions,
} from "./serve-workers.js";

/** The flags of `poekit serve`, as commander parses them. */
export interface ServeFlags {
  port?: string;
  host: string;
  accessKey?: string;
  botName?: string;
  allowWithoutKey?: boolean;
  grace?: string;
  /** false with --no-sync-settings. */
  syncSettings?: boolean;
  /** A whole number of processes, or "auto". */
  workers?: string;
}

const DEFAULT_PORT = 8080;
const DEFAULT_GRACE_SECONDS = 10;

const EXAMPLES = `
Examples:
  $ poekit serve examples/echo --allow-without-key
      serve the echo bot on http://127.0.0.1:8080/ for local testing, without an access key
  $ POE_ACCESS_KEY=<32 characters> poekit serve bot.ts --port 3000
      serve bot.ts on port 3000; requests must carry "Authorization: Bearer <key>"
  $ poekit serve bot.ts --access-key <key> --bot-name MyBot
      serve bot.ts and send its settings to Poe for the bot named MyBot
  $ poekit serve examples/* --allow-without-key
      serve several bots on one server, each on /<folder or file name>
  $ poekit serve bot.ts --workers auto
      serve bot.ts from one process per CPU, all on the same port

Each module must default-export a PoeBot instance (export default new MyBot()) or an array of them.`;

/**
 * Adds `poekit serve <module...>` to the program.
 * @example
 * addServeCommand(new Command("poekit"));
 */
export function addServeCommand(program: Command): void {
  program
    .command("serve")
    .summary("serve bots over HTTP, as Poe calls them")
    .description(
      "Serve one or more bots over HTTP, the way Poe calls them. Several modules share one server, and a bot on / moves to /<folder or file name>.",
    )
    .argument(
      "<module...>",
      "a .ts, .mts, .js or .mjs file, or a folder with an index.ts or index.js (or a package.json main)",
    )
    .option("-p, --port <port>", `port to listen on (default: $PORT, else ${DEFAULT_PORT})`)
    .option("--host <host>", "address to listen on; 127.0.0.1 accepts this machine only", "0.0.0.0")
    .option(
      "--access-key <key>",
      "the bot's 32-character access key from its settings page on Poe (default: $POE_ACCESS_KEY)",
    )
    .option(
      "--bot-name <name>",
      "the bot's name on Poe, for a single bot (its settings are synced at start-up)",
    )
    .option(
      "--allow-without-key",
      "serve bots that have no access key, accepting any request (local testing)",
    )
    .option(
      "--grace <seconds>",
      `on Ctrl-C or SIGTERM, how long open responses may go on before they are ended (default: ${DEFAULT_GRACE_SECONDS})`,
    )
    .option(
      "--no-sync-settings",
      "do not send the settings of bots that have a botName and an access key to Poe at start-up",
    )
    .option(
      "--workers <count>",
      "how many processes serve on the same port (node:cluster), or auto for one per CPU (default: 1)",
    )
    .addHelpText("after", EXAMPLES)
    .action(async (modules: string[], flags: ServeFlags) => {
      const workers = parseWorkerCount(flags.workers);
      if (isServeWorker()) {
        await serveAsWorker((options) => serve(modules, flags, process.env, options));
      } else if (workers > 1) {
        const graceMs = parseGraceSeconds(flags.grace) * 1000;
        await serveWithWorkers(workers, { host: flags.host, graceMs });
      } else {
        await serve(modules, flags);
      }
    });
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
  const graceMs = parseGraceSeconds(flags.grace) * 1000;
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
    host: flags.host,
    graceMs,
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
