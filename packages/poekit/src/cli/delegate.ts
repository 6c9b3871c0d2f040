// `poekit <command>` for every command but serve: handed over to @poekit/cli in this process, or,
// without it, one line saying what to install.
import { pathToFileURL } from "node:url";
import { closestName } from "./closest-name.js";
import { CLI_COMMANDS, CLI_INSTALL, CLI_PACKAGE, SDK_COMMANDS } from "./commands.js";
import { type CliProgram, findCli } from "./find-cli.js";
import { reportError } from "./report-error.js";
import { UserError } from "./user-error.js";

/**
 * Runs `poekit <args>` with @poekit/cli and resolves with its exit code; 2, with the reason on
 * stderr, when it is not installed.
 * @example
 * process.exitCode = await delegate(["dev", "bot.ts"]);
 */
export async function delegate(args: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const entry = findCli(cwd);
  if (entry === undefined) return reportError(new UserError(withoutCli(args[0] ?? "")));
  const program = (await import(pathToFileURL(entry).href)) as CliProgram;
  return program.main(args);
}

function withoutCli(command: string): string {
  if (CLI_COMMANDS.some((known) => known.name === command)) {
    return `poekit ${command} comes with ${CLI_PACKAGE}, which is not installed here; install it with \`${CLI_INSTALL}\`.`;
  }
  const names = [...SDK_COMMANDS, ...CLI_COMMANDS].map((known) => known.name);
  const closest = command.startsWith("-") ? undefined : closestName(command, names);
  const what = command.startsWith("-") ? `unknown option '${command}'` : `unknown command '${command}'`;
  const hint = closest === undefined ? "" : ` (Did you mean ${closest}?)`;
  return `${what}${hint}; \`poekit --help\` lists the commands.`;
}
