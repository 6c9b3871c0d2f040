/**
 * The process `poekit dev` starts for each version of the bot: it loads the module given as its
 * argument, serves it on a free loopback port, and reports over IPC that it is ready (or why it could
 * not be). It stops when told to, when `poekit dev` goes away, or on SIGTERM once it has no parent.
 */
import { consoleLogger, type Logger, type PoeBot } from "poekit";
import { type RunningServer, run } from "poekit/node";
import { loadBotModule } from "../poekit-bin.js";
import { toUserError } from "../user-error.js";
import {
  type BotProcessMessage,
  DEV_ACCESS_KEY_ENV,
  type ServedBot,
  type StopMessage,
} from "./bot-process-messages.js";

// Ctrl-C, and a SIGTERM sent to the whole process group (timeout, a container stop), reach every
// process of the group; while poekit dev is there, it decides when this one stops.
process.on("SIGINT", () => {});

let server: RunningServer | undefined;
let stopping = false;

/** Stops gracefully; told again (poekit dev is closing), exits at once. */
function stop(graceMs: number): void {
  if (stopping) process.exit(0);
  stopping = true;
  if (!server) process.exit(0);
  server.close(graceMs).then(() => process.exit(0));
}

process.on("message", (message: StopMessage) => {
  if (message.type === "stop") stop(message.graceMs);
});
process.on("SIGTERM", () => {
  if (!process.connected) stop(0);
});
// The IPC channel closes when poekit dev exits, even when it is killed: never outlive it.
process.on("disconnect", () => stop(0));

function send(message: BotProcessMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

function servedName(bot: PoeBot, moduleName: string): string {
  if (bot.botName) return bot.botName;
  const path = bot.path.replace(/^\/+|\/+$/g, "");
  return path === "" ? moduleName : path.replace(/\//g, "-");
}

try {
  const given = process.argv[2];
  if (given === undefined) throw new Error("bot-process needs the module to serve as its argument.");
  const module = await loadBotModule(given);
  // Bots without a key get the session's, so that the simulator can tell their calls apart, and a
  // POE_ACCESS_KEY in the shell (meant for the bot on Poe) is not taken up instead.
  const accessKey = process.env[DEV_ACCESS_KEY_ENV];
  for (const bot of module.bots) bot.accessKey ??= accessKey ?? null;
  let starting = true;
  // poekit dev prints where the bot is reachable: the port of this process is an implementation detail.
  const logger: Logger = {
    ...consoleLogger,
    info: (message) => {
      if (!starting) consoleLogger.info(message);
    },
  };
  server = await run(module.bots, {
    port: 0,
    host: "127.0.0.1",
    handleSignals: false,
    syncSettings: false,
    argv: [],
    logger,
    // The simulator shows each exchange; an access line per query would repeat it.
    accessLog: false,
  });
  starting = false;
  const bots: ServedBot[] = module.bots.map((bot) => ({
    name: servedName(bot, module.name),
    path: bot.path === "" ? "/" : bot.path,
    accessKey: bot.accessKey,
  }));
  await send({ type: "ready", url: server.url, bots });
} catch (error) {
  const userError = toUserError(error);
  const message = userError
    ? userError.message
    : error instanceof Error
      ? (error.stack ?? error.message)
      : String(error);
  await send({ type: "failed", message });
  process.exit(1);
}
