import { Command, CommanderError } from "commander";
import { addChatCommand } from "./commands/chat.js";
import { addCheckCommand } from "./commands/check.js";
import { addDevCommand } from "./commands/dev.js";
import { addNewCommand } from "./commands/new.js";
import { addSimCommand } from "./commands/sim.js";
import { addSyncSettingsCommand } from "./commands/sync-settings.js";
import { cliVersion } from "./package-root.js";
import { quietEpipe, runPoekitBin } from "./poekit-bin.js";
import { reportError } from "./report-error.js";
import { USER_ERROR_EXIT_CODE } from "./user-error.js";

const EXAMPLES = `
Examples:
  $ poekit new my-bot --template llm            a new bot project (npm create poekit does the same)
  $ poekit dev bot.ts                           develop: reload on save, chat with it in the simulator
  $ poekit serve bot.ts --port 3000             serve it for Poe, the key in POE_ACCESS_KEY (poekit's own)
  $ poekit sim examples/echo                    the simulator's chat page with a bot
  $ poekit chat http://127.0.0.1:8080/          chat with a running bot in the terminal
  $ poekit check http://127.0.0.1:8080/         grade any bot server against the protocol
  $ poekit sync-settings MyBot --module bot.ts  send the bot's settings to Poe
  $ poekit <command> --help                     every option of a command, with examples

\`poekit serve\` comes with the poekit package itself, and \`poekit <command>\` hands the others to this one.
Exit codes: 0 success, 1 failure, 2 usage error. NO_COLOR turns colour off, FORCE_COLOR on.
Variables in ./.env are loaded by dev and sim (and serve). Full reference: docs/cli.md`;

/**
 * The `poekit` program with its commands. A new one each call, so tests can run it more than once.
 * @example
 * await createProgram().parseAsync(["serve", "examples/echo"], { from: "user" });
 */
export function createProgram(): Command {
  const program = new Command("poekit")
    .description("Develop, simulate and check Poe server bots written with poekit.")
    .version(cliVersion(), "-v, --version", "print the version of poekit's CLI")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError()
    .configureOutput({ outputError: (message, write) => write(`poekit: ${message}`) })
    // Set before adding commands, which inherit it: parse errors are thrown, not exited on.
    .exitOverride()
    .addHelpText("after", EXAMPLES);
  // Listed (and suggested for a typo) with the others; main() hands it to poekit's bin before commander.
  program
    .command("serve")
    .summary("serve bots over HTTP, as Poe calls them (comes with poekit)")
    .argument("<module...>");
  addDevCommand(program);
  addSimCommand(program);
  addChatCommand(program);
  addCheckCommand(program);
  addSyncSettingsCommand(program);
  addNewCommand(program);
  return program;
}

/**
 * Runs the command line and resolves with the exit code: 0 when it succeeded (a server it started
 * goes on running), 2 for a usage or user error (reported on one line), 1 for a bug.
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(args: readonly string[]): Promise<number> {
  // Before anything is written: a reader that goes away ends the command quietly.
  await quietEpipe();
  // `poekit-cli serve`: serve is poekit's, with the same command line.
  if (args[0] === "serve") return runPoekitBin(args);
  try {
    await createProgram().parseAsync([...args], { from: "user" });
    return 0;
  } catch (error) {
    // Commander has already printed its message (or the help, or the version).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USER_ERROR_EXIT_CODE;
    return reportError(error);
  }
}
