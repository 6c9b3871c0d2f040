// What the commands here share with `poekit serve`, from the modules of poekit's bin
// (packages/poekit/src/cli): loading bot modules (so a bot that serves, runs in dev and sim alike),
// the .env file, a quiet end when the reader goes away, and `serve` itself. They are no export of
// poekit, only its bin's, so they are imported from the folder of the poekit this package resolves:
// its peer dependency, the copy the user's bots import too. Run from its sources (the tests), this
// loads the SDK's sources, as vitest's alias does for "poekit".
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PoeBot } from "poekit";
import type * as EnvFile from "../../poekit/src/cli/env-file.js";
import type * as LoadBots from "../../poekit/src/cli/load-bots.js";
import type * as Main from "../../poekit/src/cli/main.js";
import type * as QuietEpipe from "../../poekit/src/cli/quiet-epipe.js";
import type * as ResolveBotFile from "../../poekit/src/cli/resolve-bot-file.js";
import { UserError } from "./user-error.js";

export type { BotFile } from "../../poekit/src/cli/resolve-bot-file.js";

/**
 * A loaded bot module. Its bots are typed with the PoeBot of "poekit" as this package imports it:
 * the bin recognises a bot of any copy of poekit by its brand, and the types of two copies differ
 * only by their private fields.
 */
export interface BotModule extends ResolveBotFile.BotFile {
  bots: PoeBot[];
}

const fromSources = import.meta.url.endsWith(".ts");

/** Runs `call`, its UserError (the bin's class) thrown as this package's, which its commands catch. */
async function asCliErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof Error && error.name === "UserError"
      ? new UserError(error.message, { cause: error })
      : error;
  }
}

/** A module of poekit's bin, by its name in src/cli (`load-bots`). */
async function binModule<T>(name: string): Promise<T> {
  const sdk = path.dirname(createRequire(import.meta.url).resolve("poekit/package.json"));
  const file = fromSources
    ? path.join(sdk, "src/cli", `${name}.ts`)
    : path.join(sdk, "dist/cli", `${name}.js`);
  return (await import(pathToFileURL(file).href)) as T;
}

/**
 * Finds, imports and checks a bot module as `poekit serve` does.
 * @example
 * const { bots } = await loadBotModule("examples/echo");
 */
export async function loadBotModule(given: string, cwd?: string): Promise<BotModule> {
  const module = await asCliErrors(async () =>
    (await binModule<typeof LoadBots>("load-bots")).loadBotModule(given, cwd),
  );
  return module as unknown as BotModule;
}

/**
 * The file behind a module argument, as `poekit serve` finds it.
 * @example
 * const { file } = await resolveBotFile("examples/echo");
 */
export async function resolveBotFile(given: string, cwd?: string): Promise<ResolveBotFile.BotFile> {
  return asCliErrors(async () =>
    (await binModule<typeof ResolveBotFile>("resolve-bot-file")).resolveBotFile(given, cwd),
  );
}

/**
 * Loads ./.env (or the file named, or nothing for `false`) into `process.env`, as `poekit serve` does.
 * @example
 * await loadEnvFile(flags.dotenv);
 */
export async function loadEnvFile(
  file: string | false | undefined,
  cwd?: string,
): Promise<string | undefined> {
  return asCliErrors(async () => (await binModule<typeof EnvFile>("env-file")).loadEnvFile(file, cwd));
}

/**
 * Ends the process quietly when the reader of stdout or stderr goes away.
 * @example
 * await quietEpipe();
 */
export async function quietEpipe(): Promise<void> {
  (await binModule<typeof QuietEpipe>("quiet-epipe")).quietEpipe();
}

/**
 * Runs poekit's bin with `args` (`["serve", "bot.ts"]`), for `poekit-cli serve`.
 * @example
 * process.exitCode = await runPoekitBin(["serve", "bot.ts"]);
 */
export async function runPoekitBin(args: readonly string[]): Promise<number> {
  return (await binModule<typeof Main>("main")).main(args);
}
