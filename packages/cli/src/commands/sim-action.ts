import { randomBytes } from "node:crypto";
import {
  aliasInProcessBots,
  type BotRegistration,
  builtinInProcessBots,
  type InProcessBot,
  modelInProcessBots,
  type RunningSimulator,
  startSimulator,
} from "@poekit/simulator";
import { DEFAULT_SIMULATOR_PORT } from "@poekit/simulator/defaults";
import type { PoeBot } from "poekit";
import { parsePort, type RunningServer, run } from "poekit/node";
import { loadBotModule, loadEnvFile } from "../poekit-bin.js";
import { startProgress } from "../progress.js";
import { colorsFor } from "../terminal.js";
import { UserError } from "../user-error.js";
import { simBanner } from "./sim-banner.js";

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
  /** The file of environment variables to load: a path with --dotenv, false with --no-dotenv. */
  dotenv?: string | false;
}

/**
 * What `poekit sim` does once commander has parsed its command line: starts the simulator, prints
 * where it is and its bots, and runs until Ctrl-C or SIGTERM.
 * @example
 * await simAction(["examples/echo"], { host: "127.0.0.1", db: ":memory:", bot: [], model: [], alias: [] });
 */
export async function simAction(modules: string[], flags: SimFlags): Promise<void> {
  // First: the served bots and --model's POEKIT_MODEL_API_KEY read the environment.
  await loadEnvFile(flags.dotenv);
  // Loading TypeScript bots and fetching every bot's settings can take a few seconds.
  const progress = startProgress("Starting the simulator and fetching the bots' settings");
  let running: RunningSim;
  try {
    running = await sim(modules, flags);
  } finally {
    progress.stop();
  }
  console.log(simBanner(running, colorsFor(process.stdout)));
  await untilSignal();
  await running.close();
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
        // The simulator shows each exchange; an access line per query would repeat it.
        accessLog: false,
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
