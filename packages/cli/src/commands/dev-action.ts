import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import type { RunningSimulator } from "@poekit/simulator";
import { DEFAULT_SIMULATOR_PORT } from "@poekit/simulator/defaults";
import { parsePort } from "poekit/node";
import { accessKeyNote } from "../dev/access-key-note.js";
import { DEFAULT_PORT } from "../dev/default-port.js";
import { createDevLog } from "../dev/dev-log.js";
import { chatUrl, createStaleReporter, registerDevBots, startDevSimulator } from "../dev/dev-simulator.js";
import { type DevProxy, startProxy } from "../dev/proxy.js";
import { createReloader, type Reloader } from "../dev/reloader.js";
import { type BotProcess, startBotProcess } from "../dev/start-bot-process.js";
import { startTypeChecker, type TypeCheckerStart } from "../dev/type-checker.js";
import { type FolderWatcher, watchFolder } from "../dev/watch-folder.js";
import { loadEnvFile, resolveBotFile } from "../poekit-bin.js";
import type { OutputStream } from "../terminal.js";

/** The flags of `poekit dev`, as commander parses them. */
export interface DevFlags {
  port?: string;
  simPort?: string;
  db: string;
  model: string[];
  alias: string[];
  /** false with --no-type-check. */
  typeCheck?: boolean;
  /** Watch by polling (--poll, or POEKIT_POLL in the environment). */
  poll?: boolean;
  /** The file of environment variables to load: a path with --dotenv, false with --no-dotenv. */
  dotenv?: string | false;
}

/** Where `poekit dev` runs and writes, and its timings; the defaults are the process's and the CLI's. */
export interface DevOptions {
  cwd?: string;
  /** The environment of the bot's process (and where `POEKIT_MODEL_API_KEY` and `NO_COLOR` are read). */
  env?: Record<string, string | undefined>;
  stdout?: OutputStream;
  stderr?: OutputStream;
  /** Quiet time after a change before reloading; default 100 ms. */
  debounceMs?: number;
  /** How long a replaced version may finish the responses it has open; default 60 s. */
  graceMs?: number;
  /** On close, how long open responses get; default 1 s. */
  closeGraceMs?: number;
}

/** A running `poekit dev`. */
export interface RunningDev {
  /** Where the bot is reachable whatever version serves: `http://127.0.0.1:8080`. */
  proxyUrl: string;
  simulator: RunningSimulator;
  /** The process serving the current version, if one is. */
  readonly bot: BotProcess | null;
  /** Stops watching, the bot's processes, the proxy and the simulator. */
  close(): Promise<void>;
}

const DEFAULT_GRACE_MS = 60_000;
const DEFAULT_CLOSE_GRACE_MS = 1_000;

/**
 * What `poekit dev` does once commander has parsed its command line: runs until Ctrl-C or SIGTERM,
 * then closes everything it started; a second signal while closing exits at once.
 * @example
 * await devAction("examples/echo", { db: ".poekit/simulator.db", model: [], alias: [] });
 */
export async function devAction(module: string, flags: DevFlags): Promise<void> {
  // First: the bot's process inherits the environment, and POEKIT_POLL may come from it.
  await loadEnvFile(flags.dotenv);
  const running = await dev(module, flags);
  await nextSignal();
  // A second Ctrl-C while stopping exits at once; the bot's processes are killed on exit.
  const now = () => process.exit(130);
  process.once("SIGINT", now);
  process.once("SIGTERM", now);
  await running.close();
  process.off("SIGINT", now);
  process.off("SIGTERM", now);
}

/**
 * Starts `poekit dev`: the simulator, the proxy on `--port` that the bot is registered by, the first
 * version of the bot, and the watcher that reloads it. Resolves once the first version serves, or its
 * error is printed (it then serves from the first save that loads). A module that does not exist, a
 * bad flag or a busy port is a {@link UserError}, thrown before anything runs.
 * @example
 * const running = await dev("examples/echo", { db: ":memory:", model: [], alias: [], port: "0", simPort: "0" });
 * await running.close();
 */
export async function dev(module: string, flags: DevFlags, options: DevOptions = {}): Promise<RunningDev> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const log = createDevLog(options.stdout ?? process.stdout, options.stderr ?? process.stderr, env);
  const port = flags.port === undefined ? DEFAULT_PORT : parsePort(flags.port, "--port");
  const simPort =
    flags.simPort === undefined ? DEFAULT_SIMULATOR_PORT : parsePort(flags.simPort, "--sim-port");
  const found = await resolveBotFile(module, cwd);
  const given = path.resolve(cwd, module);
  const folder = statSync(given).isDirectory() ? given : path.dirname(found.file);

  // Loading TypeScript takes a second or more: it does so while the simulator starts.
  const typeCheckerStarting: Promise<TypeCheckerStart | null> =
    flags.typeCheck === false
      ? Promise.resolve(null)
      : startTypeChecker(found.file, cwd).catch((error: Error) => ({
          off: `TypeScript failed to start (${error.message})`,
        }));
  let simulator: RunningSimulator | undefined;
  let proxy: DevProxy | undefined;
  let reloader: Reloader | undefined;
  let watcher: FolderWatcher | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      watcher?.close();
      // First, so that a check in progress ends, and the reload waiting for it with it.
      const started = await typeCheckerStarting;
      if (started && "checker" in started) await started.checker.close();
      await reloader?.close();
      await proxy?.close();
      await simulator?.close();
    })();
    return closing;
  };

  try {
    const sim = await startDevSimulator({
      port: simPort,
      db: flags.db === ":memory:" ? flags.db : path.resolve(cwd, flags.db),
      model: flags.model,
      alias: flags.alias,
      env,
    });
    simulator = sim;
    proxy = await startProxy({
      port,
      host: "127.0.0.1",
      unavailableDetail: `${found.display} has not loaded yet; poekit dev shows why, and serves it from the next save that loads.`,
    });
    const proxyUrl = proxy.url;
    const started = await typeCheckerStarting;
    if (started && "off" in started) log.info(`type checking is off: ${started.off}.`);
    const typeChecker = started && "checker" in started ? started.checker : null;
    // Given to bots without a key of their own, and printed: curl and poekit check need it.
    const accessKey = randomBytes(16).toString("hex");
    const stdout = options.stdout ?? process.stdout;
    const stderr = options.stderr ?? process.stderr;
    const stale = createStaleReporter(sim);
    reloader = createReloader({
      startBot: (signal) =>
        startBotProcess({
          module: found.display,
          cwd,
          env,
          apiBaseUrl: sim.url,
          accessKey,
          stdout,
          stderr,
          signal,
        }),
      typeChecker,
      proxy,
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      closeGraceMs: options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS,
      cwd,
      log,
      onRefused: stale.refused,
      onServing: async (bot, first) => {
        stale.serving();
        const records = await registerDevBots(sim, proxyUrl, bot.bots);
        for (const record of records) {
          if (record.settingsError) log.warn(`the settings of ${record.name}: ${record.settingsError}`);
        }
        if (!first) return;
        const [main, ...others] = bot.bots.map((served) => served.name);
        const also = others.length > 0 ? ` (and ${others.join(", ")})` : "";
        const chat = await chatUrl(sim, main as string);
        log.info(
          `chat with ${log.colors.bold(main as string)}${also} at ${log.colors.cyan(chat)} — bot on ${proxyUrl}/ ${accessKeyNote(bot.bots, accessKey)}, reloads on save (Ctrl-C stops)`,
        );
      },
    });
    const reloading = reloader;
    const pollMs = pollInterval(flags, env);
    watcher = watchFolder(folder, {
      onChange: (files) => void reloading.reload(files),
      ...(options.debounceMs !== undefined && { debounceMs: options.debounceMs }),
      ...(pollMs !== undefined && { pollMs }),
    });
    await reloader.reload([]);
    if (!reloader.current) {
      const where = path.relative(cwd, folder) || ".";
      log.info(
        `the simulator is on ${sim.url}; watching ${where}, the bot starts at the first save that loads (Ctrl-C stops)`,
      );
    }
    return {
      proxyUrl,
      simulator: sim,
      get bot() {
        return reloading.current;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** How often a polling watcher looks at the folder: often enough to feel immediate, cheap for a bot's few files. */
export const POLL_INTERVAL_MS = 300;

/**
 * The polling interval when `--poll` is given or `POEKIT_POLL` is set to anything but empty, `0` or
 * `false`; `undefined` to watch with the system's change events.
 */
export function pollInterval(
  flags: Pick<DevFlags, "poll">,
  env: Record<string, string | undefined>,
): number | undefined {
  const fromEnv = env.POEKIT_POLL;
  const polled = flags.poll === true || (fromEnv !== undefined && !["", "0", "false"].includes(fromEnv));
  return polled ? POLL_INTERVAL_MS : undefined;
}

function nextSignal(): Promise<void> {
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
