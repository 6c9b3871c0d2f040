import { type ChildProcess, spawn } from "node:child_process";
import type { OutputStream } from "../terminal.js";
import {
  type BotProcessMessage,
  DEV_ACCESS_KEY_ENV,
  type ServedBot,
  type StopMessage,
} from "./bot-process-messages.js";
import { compiledEntry } from "./compiled-entry.js";

/** How long a bot process may take to load its module and listen, unless told otherwise. */
export const DEFAULT_START_TIMEOUT_MS = 30_000;

/** After its grace period, how long a stopping bot process gets before it is killed. */
const KILL_AFTER_GRACE_MS = 5_000;

/** Options of {@link startBotProcess}. */
export interface StartBotProcessOptions {
  /** The module to serve, as given to `poekit dev`. */
  module: string;
  cwd: string;
  /** The environment of the process; `POE_API_BASE_URL` and the access key are added. */
  env: Record<string, string | undefined>;
  /** The simulator's URL, for `POE_API_BASE_URL`. */
  apiBaseUrl: string;
  /** The key given to bots that have none. */
  accessKey: string;
  /** Where what the bot prints goes. */
  stdout: OutputStream;
  stderr: OutputStream;
  /** Aborting kills the process; a start in progress then fails. */
  signal?: AbortSignal;
  /** Default {@link DEFAULT_START_TIMEOUT_MS}. */
  startTimeoutMs?: number;
}

/** How a bot process ended. */
export interface BotProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A bot process that is serving. */
export interface BotProcess {
  pid: number;
  /** `http://127.0.0.1:<port>`, where it serves. */
  url: string;
  bots: ServedBot[];
  /** Settles when the process has exited, however it ended. */
  exited: Promise<BotProcessExit>;
  /** Stops accepting requests, lets open responses finish within `graceMs`, and resolves once it exited. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The module could not be served: its message says why, as the user should read it.
 * @example
 * startBotProcess(options).catch((error) => { if (error instanceof BotStartError) console.error(error.message); });
 */
export class BotStartError extends Error {
  override readonly name = "BotStartError";
}

/**
 * Starts a process that loads the module and serves it on a free loopback port, with
 * `POE_API_BASE_URL` pointing at the simulator, and resolves once it listens. A module that does not
 * load (a syntax error, a throw at import, no default export) rejects with a {@link BotStartError}
 * saying why, and its process is gone by then.
 * @example
 * const bot = await startBotProcess({ module: "bot.ts", cwd, env: process.env, apiBaseUrl: sim.url, accessKey, stdout, stderr });
 * await bot.stop(10_000);
 */
export function startBotProcess(options: StartBotProcessOptions): Promise<BotProcess> {
  const child = spawn(process.execPath, [compiledEntry("bot-process"), options.module], {
    cwd: options.cwd,
    env: { ...options.env, POE_API_BASE_URL: options.apiBaseUrl, [DEV_ACCESS_KEY_ENV]: options.accessKey },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  child.stdout?.setEncoding("utf8").on("data", (text: string) => options.stdout.write(text));
  child.stderr?.setEncoding("utf8").on("data", (text: string) => options.stderr.write(text));
  const exited = new Promise<BotProcessExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    // A process that could not be started at all emits only "error".
    child.once("error", () => resolve({ code: null, signal: null }));
  });
  killWithThisProcess(child, exited);

  return new Promise<BotProcess>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const timer = setTimeout(() => {
      fail(
        `${options.module} did not finish loading within ${timeoutMs / 1000} s; does it wait for something at the top level?`,
      );
    }, timeoutMs);
    const onAbort = () => fail(`${options.module} was stopped before it was serving.`);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    function fail(message: string): void {
      if (settled) return;
      settle();
      child.kill("SIGKILL");
      // The process is gone before the failure is reported, so that nothing outlives it.
      exited.then(() => reject(new BotStartError(message)));
    }
    if (options.signal?.aborted) onAbort();

    child.on("message", (message: BotProcessMessage) => {
      if (settled) return;
      if (message.type === "failed") {
        fail(message.message);
        return;
      }
      settle();
      resolve({
        pid: child.pid as number,
        url: message.url,
        bots: message.bots,
        exited,
        stop: (graceMs) => stopProcess(child, exited, graceMs),
      });
    });
    child.once("error", (error) => fail(`could not start a process for ${options.module}: ${error.message}`));
    exited.then(({ code, signal }) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      fail(`the process serving ${options.module} ${how} before it was serving; its output above says why.`);
    });
  });
}

function stopProcess(child: ChildProcess, exited: Promise<BotProcessExit>, graceMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    if (child.connected) child.send({ type: "stop", graceMs } satisfies StopMessage);
    else child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), graceMs + KILL_AFTER_GRACE_MS);
    exited.then(() => clearTimeout(killer));
  }
  return exited.then(() => undefined);
}

/** When this process exits (process.exit included), its bot processes go too. */
function killWithThisProcess(child: ChildProcess, exited: Promise<BotProcessExit>): void {
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  exited.then(() => process.off("exit", kill));
}
