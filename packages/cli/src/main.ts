import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { addChatCommand } from "./commands/chat.js";
import { addServeCommand } from "./commands/serve.js";
import { addSimCommand } from "./commands/sim.js";
import { addSyncSettingsCommand } from "./commands/sync-settings.js";
import { reportError, USER_ERROR_EXIT_CODE } from "./user-error.js";

const EXAMPLES = `
Examples:
  $ poekit serve examples/echo --allow-without-key   serve a bot locally, no access key needed
  $ poekit serve bot.ts --port 3000                  serve bot.ts with the key in POE_ACCESS_KEY
  $ poekit sim examples/echo                         chat with a bot in the simulator's page
  $ poekit chat http://127.0.0.1:8080/               chat with a running bot in the terminal
  $ poekit serve --help                              every option of serve`;

/**
 * The `poekit` program with its commands. A new one each call, so tests can run it more than once.
 * @example
 * await createProgram().parseAsync(["serve", "examples/echo"], { from: "user" });
 */
export function createProgram(): Command {
  const program = new Command("poekit")
    .description("Serve, develop, simulate and check Poe server bots written with poekit.")
    .version(readVersion(), "-v, --version", "print the version of poekit's CLI")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError()
    .configureOutput({ outputError: (message, write) => write(`poekit: ${message}`) })
    // Set before adding commands, which inherit it: parse errors are thrown, not exited on.
    .exitOverride()
    .addHelpText("after", EXAMPLES);
  addServeCommand(program);
  addSimCommand(program);
  addChatCommand(program);
  addSyncSettingsCommand(program);
  return program;
}

/**
 * Runs the command line and resolves with the exit code: 0 when it succeeded (a server it started
 * goes on running), 2 for a usage or user error (reported on one line), 1 for a bug.
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(args: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...args], { from: "user" });
    return 0;
  } catch (error) {
    // Commander has already printed its message (or the help, or the version).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USER_ERROR_EXIT_CODE;
    return reportError(error);
  }
}

function readVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const version =
    typeof manifest === "object" && manifest !== null && "version" in manifest ? manifest.version : undefined;
  return typeof version === "string" ? version : "unknown";
}
