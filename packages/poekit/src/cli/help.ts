// `poekit --help`: every command, and the package it comes with, without loading any of them.
import { CLI_COMMANDS, CLI_INSTALL, CLI_PACKAGE, type CommandSummary, SDK_COMMANDS } from "./commands.js";

/**
 * The help of `poekit`. `cliInstalled` says whether @poekit/cli's commands can run here.
 * @example
 * process.stdout.write(help(findCli() !== undefined));
 */
export function help(cliInstalled: boolean): string {
  const all = [...SDK_COMMANDS, ...CLI_COMMANDS];
  const width = Math.max(...all.map((command) => `${command.name} ${command.args}`.length)) + 2;
  const list = (commands: readonly CommandSummary[]) =>
    commands
      .map((command) => `  ${`${command.name} ${command.args}`.padEnd(width)}${command.summary}`)
      .join("\n");
  const cliState = cliInstalled ? "installed" : `not installed here: ${CLI_INSTALL}`;
  return `Usage: poekit <command> [options]

Serve, develop, simulate and check Poe server bots written with poekit.

Commands of poekit (what a deployed bot needs):
${list(SDK_COMMANDS)}

Commands of ${CLI_PACKAGE} (development; ${cliState}):
${list(CLI_COMMANDS)}

  poekit <command> --help   every option of a command, with examples
  poekit -v, --version      the version of poekit

Exit codes: 0 success, 1 failure, 2 usage error. NO_COLOR turns colour off, FORCE_COLOR on.
Variables in ./.env are loaded by serve, dev and sim. Full reference: docs/cli.md
`;
}
