import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  HTTPError,
  type PoeBot,
  PoeError,
  type SettingsResponse,
  type SyncBotSettingsOptions,
  type SyncBotSettingsResult,
  syncBotSettings,
} from "poekit";
import { BASE_URL_ENV, PROTOCOL_VERSION } from "poekit/protocol";
import { loadBotModule } from "../poekit-bin.js";
import { startProgress } from "../progress.js";
import { colorsFor, type OutputStream } from "../terminal.js";
import { UserError } from "../user-error.js";

/** The flags of `poekit sync-settings`, as commander parses them. */
export interface SyncSettingsFlags {
  accessKey?: string;
  module?: string;
  settings?: string;
  baseUrl?: string;
  timeout?: string;
}

/** Where `poekit sync-settings` writes and what it reads; the process's, or a test's. */
export interface SyncSettingsIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The call itself; tests pass one with a fake fetch. */
  sync?: (botName: string, key: string, options: SyncBotSettingsOptions) => Promise<SyncBotSettingsResult>;
}

/** The exit code when Poe refused the settings or could not be reached. */
const FAILURE_EXIT_CODE = 1;

/**
 * What `poekit sync-settings` does once commander has parsed its command line: sends the settings,
 * prints what was sent and the answer, and sets exit code 1 when the call failed.
 * @example
 * await syncSettingsAction("MyBot", { module: "bot.ts" });
 */
export async function syncSettingsAction(botName: string, flags: SyncSettingsFlags): Promise<void> {
  const code = await syncSettingsCommand(botName, flags, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
  if (code !== 0) process.exitCode = code;
}

/**
 * Runs `poekit sync-settings`: resolves with the exit code, 0 when the settings were accepted and 1
 * when the call failed (refused, unknown bot, network). Mistakes in the flags or the settings are
 * {@link UserError}s (exit code 2), thrown before anything is sent.
 * @example
 * const code = await syncSettingsCommand("MyBot", { module: "bot.ts", accessKey: key }, io);
 */
export async function syncSettingsCommand(
  botName: string,
  flags: SyncSettingsFlags,
  io: SyncSettingsIO,
): Promise<number> {
  if (flags.module !== undefined && flags.settings !== undefined) {
    throw new UserError("Give either --module or --settings, not both.");
  }
  const accessKey = flags.accessKey ?? io.env.POE_ACCESS_KEY;
  if (accessKey === undefined || accessKey.trim() === "") {
    throw new UserError(
      "No access key: pass --access-key <key> or set POE_ACCESS_KEY (the key is on the bot's settings page on Poe).",
    );
  }
  const timeoutMs = parseTimeout(flags.timeout);
  const settings = await settingsToSend(botName, flags, io.cwd);
  const baseUrl = flags.baseUrl ?? botBaseFromEnv(io.env);
  const target =
    baseUrl === undefined ? "Poe" : `${baseUrl} (${flags.baseUrl ? "--base-url" : BASE_URL_ENV})`;
  const colors = colorsFor(io.stdout, io.env);

  if (settings !== undefined) {
    io.stdout.write(`${colors.bold("Sending")} the settings of ${botName} to ${target}:\n`);
    io.stdout.write(`${indent(JSON.stringify(settings, null, 2))}\n`);
  } else {
    io.stdout.write(
      `${colors.bold("Asking")} ${target} to fetch the settings of ${botName} from its bot server.\n`,
    );
  }

  const progress = startProgress(
    settings === undefined ? "Waiting for the bot server's settings" : "Sending",
    {
      stream: io.stderr,
      env: io.env,
    },
  );
  const sync = io.sync ?? syncBotSettings;
  let result: SyncBotSettingsResult;
  try {
    result = await sync(botName, accessKey, {
      ...(settings !== undefined && { settings }),
      ...(baseUrl !== undefined && { baseUrl }),
      timeoutMs,
    });
  } catch (error) {
    progress.stop();
    return reportFailure(error, io, target);
  }
  progress.stop();
  io.stdout.write(`${colors.green("✔")} ${target} answered HTTP ${result.status}:\n`);
  io.stdout.write(
    `${indent(typeof result.body === "string" ? result.body : JSON.stringify(result.body, null, 2))}\n`,
  );
  return 0;
}

/** The settings of `--settings` or `--module`, validated by `syncBotSettings`; none for fetch mode. */
async function settingsToSend(
  botName: string,
  flags: SyncSettingsFlags,
  cwd: string,
): Promise<SettingsResponse | undefined> {
  if (flags.settings !== undefined) return readSettingsFile(flags.settings, cwd);
  if (flags.module !== undefined) {
    const module = await loadBotModule(flags.module, cwd);
    const bot = pickBot(module.bots, botName, module.display);
    return settingsOf(bot, module.display);
  }
  return undefined;
}

async function readSettingsFile(file: string, cwd: string): Promise<SettingsResponse> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === "ENOENT"
        ? `--settings ${file} does not exist.`
        : `Could not read --settings ${file}: ${code}.`,
      { cause: error },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`--settings ${file} is not valid JSON: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UserError(
      `--settings ${file} must hold a JSON object of settings, like {"allow_attachments": true}.`,
    );
  }
  return value as SettingsResponse;
}

/** The module's one bot, or the one named `botName` (by `botName` or path) among several. */
function pickBot(bots: readonly PoeBot[], botName: string, display: string): PoeBot {
  if (bots.length === 1) return bots[0] as PoeBot;
  const wanted = botName.toLowerCase();
  const named = bots.find(
    (bot) =>
      bot.botName?.toLowerCase() === wanted || bot.path.replace(/^\/+|\/+$/g, "").toLowerCase() === wanted,
  );
  if (named) return named;
  const names = bots.map((bot) => bot.botName ?? bot.path).join(", ");
  throw new UserError(
    `${display} exports ${bots.length} bots (${names}) and none is named ${botName}; give the bot a botName or path that matches.`,
  );
}

async function settingsOf(bot: PoeBot, display: string): Promise<SettingsResponse> {
  const request = { version: PROTOCOL_VERSION, type: "settings" as const };
  const httpRequest = new Request("http://sync-settings.poekit.invalid/", {
    method: "POST",
    body: JSON.stringify(request),
  });
  try {
    return await bot.getSettingsWithContext(request, {
      request: httpRequest,
      signal: new AbortController().signal,
    });
  } catch (error) {
    throw new UserError(`The getSettings of ${display} threw: ${(error as Error).message}`, { cause: error });
  }
}

function botBaseFromEnv(env: Record<string, string | undefined>): string | undefined {
  const root = env[BASE_URL_ENV]?.trim();
  if (!root) return undefined;
  return `${root.endsWith("/") ? root : `${root}/`}bot/`;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 15_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UserError(`--timeout must be a positive number of seconds, got ${JSON.stringify(value)}.`);
  }
  return seconds * 1000;
}

/** One clear line for each way the call can fail; the SDK's messages already mask the key. */
function reportFailure(error: unknown, io: SyncSettingsIO, target: string): number {
  const colors = colorsFor(io.stderr, io.env);
  const fail = (message: string) => io.stderr.write(`poekit: ${colors.red("error")}: ${message}\n`);
  if (error instanceof HTTPError) {
    const hint =
      error.status === 401 || error.status === 403
        ? " (the access key was refused)"
        : error.status === 404
          ? ` (${target} knows no bot by that name)`
          : "";
    fail(`${error.message}${hint}`);
    return FAILURE_EXIT_CODE;
  }
  if (error instanceof PoeError) {
    // Invalid settings are found before anything is sent: the user's to fix.
    if (error.code === "INVALID_PARAMETER") throw new UserError(error.message, { cause: error });
    fail(error.message);
    return FAILURE_EXIT_CODE;
  }
  throw error;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
