import { randomBytes } from "node:crypto";
import type { BotRegistration, InProcessBot, RunningSimulator } from "@poekit/simulator";
import {
  DEFAULT_DB_PATH,
  DEFAULT_FILE_TTL_SECONDS,
  DEFAULT_SIMULATOR_PORT,
} from "@poekit/simulator/defaults";
import type { Command } from "commander";
import type { PoeBot } from "poekit";
import { parsePort, type RunningServer, run } from "poekit/node";
import { loadBotModule } from "../load-bots.js";
import { startProgress } from "../progress.js";
import { colorsFor } from "../terminal.js";
import { UserError } from "../user-error.js";

/** The flags of `poekit sim`, as commander parses them. */
export interface SimFlags {
  port?: string;
  host: string;
  db: string;
  bot: string[];
  model: string[];
  alias: string[];
  visionModel?: string;
  fileTtl?: string;
  balance?: string;
}

const EXAMPLES = `
Examples:
  $ poekit sim
      the simulator with its built-in bots (Echo, ScriptedLLM) on http://127.0.0.1:${DEFAULT_SIMULATOR_PORT}
  $ poekit sim examples/echo examples/function-calling
      also serves these bot modules and registers them (each answers at /<folder name>)
  $ poekit sim --bot MyBot=http://127.0.0.1:8080/#<access key>
      registers a bot server that is already running
  $ POEKIT_MODEL_API_KEY=sk-... poekit sim --model GPT-4o-Mini=https://api.openai.com/v1#gpt-4o-mini
      a bot name answered by an OpenAI-compatible endpoint
  $ poekit sim examples/function-calling --alias GPT-4o-Mini=ScriptedLLM
      the function-calling example, offline: its model calls are answered by the scripted model
  $ poekit sim --db :memory:
      keep nothing on disk

Bots served or registered here reach the simulator's bot query API, file upload, settings sync and cost
calls when POE_API_BASE_URL points at it (set for you for modules served by poekit sim).`;

/**
 * Adds `poekit sim [module...]` to the program.
 * @example
 * addSimCommand(new Command("poekit"));
 */
export function addSimCommand(program: Command): void {
  program
    .command("sim")
    .summary("run a local Poe: chat page, inspector and Poe's APIs")
    .description(
      "Run the simulator: a local stand-in for Poe with a chat page, a protocol inspector, the bot query API, file upload, settings sync and cost calls. Modules given are served on a free port and registered.",
    )
    .argument("[module...]", "bot modules to serve and register (as for poekit serve)")
    .option(
      "-p, --port <port>",
      `port of the chat page and APIs (default: ${DEFAULT_SIMULATOR_PORT}; 0 picks a free one)`,
    )
    .option(
      "--host <host>",
      "address to listen on; anything but 127.0.0.1 exposes your bots to the network",
      "127.0.0.1",
    )
    .option("--db <file>", "SQLite file for bots and conversations, or :memory:", DEFAULT_DB_PATH)
    .option("--bot <NAME=URL#KEY>", "register a running bot server (repeatable; #KEY optional)", collect, [])
    .option(
      "--model <NAME=URL#MODEL>",
      "a bot answered by an OpenAI-compatible endpoint; key from $POEKIT_MODEL_API_KEY (repeatable)",
      collect,
      [],
    )
    .option(
      "--alias <NAME=BUILTIN>",
      "answer NAME with a built-in bot, so bots that call Poe models run offline (repeatable; e.g. GPT-4o-Mini=ScriptedLLM)",
      collect,
      [],
    )
    .option(
      "--vision-model <NAME>",
      "the bot that describes images for bots with enable_image_comprehension (default: from the image's metadata)",
    )
    .option("--file-ttl <seconds>", "how long file URLs work", String(DEFAULT_FILE_TTL_SECONDS))
    .option("--balance <milli-cents>", "balance of a new database for cost calls (1000000 = $10)")
    .addHelpText("after", EXAMPLES)
    .action(async (modules: string[], flags: SimFlags) => {
      // Loading TypeScript bots and fetching every bot's settings can take a few seconds.
      const progress = startProgress("Starting the simulator and fetching the bots' settings");
      let running: RunningSim;
      try {
        running = await sim(modules, flags);
      } finally {
        progress.stop();
      }
      printBanner(running);
      await untilSignal();
      await running.close();
    });
}

/** A running `poekit sim`: the simulator and the server of the modules it serves. */
export interface RunningSim {
  simulator: RunningSimulator;
  host: string;
  served: RunningServer | null;
  close(): Promise<void>;
}

/**
 * Starts the simulator, serves the modules on a free port with `POE_API_BASE_URL` pointing at it,
 * and registers every bot. Every mistake the user can fix is a {@link UserError}.
 * @example
 * const running = await sim(["examples/echo"], { host: "127.0.0.1", db: ":memory:", bot: [], model: [], alias: [], port: "0" });
 */
export async function sim(modules: readonly string[], flags: SimFlags): Promise<RunningSim> {
  const port = flags.port === undefined ? DEFAULT_SIMULATOR_PORT : parsePort(flags.port, "--port");
  const registrations = flags.bot.map(parseBotSpec);
  // Loaded here, not at the top: every other command (serve above all) starts without SQLite and the
  // simulator's app, about 100 ms sooner.
  const { aliasInProcessBots, builtinInProcessBots, modelInProcessBots, startSimulator } = await import(
    "@poekit/simulator"
  );
  const inProcessBots: InProcessBot[] = [
    ...builtinInProcessBots(),
    ...modelInProcessBots(flags.model, process.env),
    ...aliasInProcessBots(flags.alias),
  ];
  const loaded: PoeBot[] = [];
  for (const given of modules) {
    const module = await loadBotModule(given);
    for (const bot of module.bots) {
      if (bot.path === "/" || bot.path === "") bot.path = `/${module.name}`;
      loaded.push(bot);
    }
  }

  let simulator: RunningSimulator;
  try {
    simulator = await startSimulator({
      port,
      host: flags.host,
      db: flags.db,
      ...(flags.fileTtl !== undefined && {
        fileTtlSeconds: parseWholeNumber(flags.fileTtl, "--file-ttl", 1),
      }),
      ...(flags.balance !== undefined && { balance: parseWholeNumber(flags.balance, "--balance", 0) }),
      inProcessBots,
      ...(flags.visionModel !== undefined && { visionBot: flags.visionModel }),
    });
  } catch (error) {
    throw new UserError((error as Error).message, { cause: error });
  }
  let served: RunningServer | null = null;
  try {
    // The served bots call the simulator for other bots, uploads and settings: point them at it.
    process.env.POE_API_BASE_URL = simulator.url;
    if (loaded.length > 0) {
      for (const bot of loaded) bot.accessKey ??= randomBytes(16).toString("hex");
      served = await run(loaded, {
        port: 0,
        host: "127.0.0.1",
        handleSignals: false,
        syncSettings: false,
        argv: [],
      });
      for (const bot of loaded) {
        registrations.push({ name: botName(bot), url: `${served.url}${bot.path}`, accessKey: bot.accessKey });
      }
    }
    const { registry } = simulator.simulator.context;
    for (const registration of registrations) await registry.register(registration);
    if (flags.visionModel !== undefined && !registry.get(flags.visionModel)) {
      throw new UserError(
        `--vision-model ${flags.visionModel} is not a bot of the simulator; configure it with --model or --bot first.`,
      );
    }
    simulator.bots = registry.list();
  } catch (error) {
    await served?.close(0);
    await simulator.close();
    // A bad --bot name or URL is the user's to fix.
    if (error instanceof Error && error.name === "RegistrationError")
      throw new UserError(error.message, { cause: error });
    throw error;
  }
  return {
    simulator,
    host: flags.host,
    served,
    close: async () => {
      await served?.close(1000);
      await simulator.close();
    },
  };
}

/** `NAME=URL#KEY` → a registration; the key is optional. */
export function parseBotSpec(spec: string): BotRegistration {
  const match = /^([^=\s]+)=(\S+?)(?:#(\S*))?$/.exec(spec.trim());
  if (!match) {
    throw new UserError(
      `--bot ${JSON.stringify(spec)} is not NAME=URL or NAME=URL#KEY, e.g. MyBot=http://127.0.0.1:8080/#<key>.`,
    );
  }
  return { name: match[1] as string, url: match[2] as string, accessKey: match[3] || null };
}

function botName(bot: PoeBot): string {
  return bot.botName ?? bot.path.replace(/^\/+/, "").replace(/\/+$/, "").replace(/\//g, "-");
}

function parseWholeNumber(value: string, flag: string, least: number): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < least) {
    throw new UserError(`${flag} must be a whole number from ${least}, got ${JSON.stringify(value)}.`);
  }
  return number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function printBanner(running: RunningSim): void {
  const { simulator } = running;
  const colors = colorsFor(process.stdout);
  const lines = [`${colors.bold("poekit simulator")} on ${colors.cyan(simulator.url)}`];
  for (const bot of simulator.bots) {
    const problem = bot.settingsError ? colors.yellow(`  (settings: ${bot.settingsError})`) : "";
    lines.push(`  ${bot.name.padEnd(20)} ${colors.dim(bot.url)}${problem}`);
  }
  if (!["127.0.0.1", "localhost", "::1"].includes(running.host)) {
    lines.push(
      colors.yellow(
        `warning: listening on ${running.host}: anyone who can reach this machine can use the simulator and its bots.`,
      ),
    );
  }
  lines.push(
    colors.dim(`Bots reach Poe's APIs here with POE_API_BASE_URL=${simulator.url}   (Ctrl-C stops)`),
  );
  console.log(lines.join("\n"));
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
