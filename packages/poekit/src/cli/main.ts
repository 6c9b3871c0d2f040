// The program of the `poekit` bin, which comes with the SDK: `poekit serve` needs nothing more than
// poekit itself (a deployed bot installs no development tools), and every other command is
// @poekit/cli's, handed over to it when it is installed.
import { quietEpipe } from "./quiet-epipe.js";

/**
 * Runs the command line and resolves with the exit code: 0 when it succeeded (a server it started
 * goes on running), 2 for a usage or user error (reported on one line), 1 for a bug.
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(args: readonly string[]): Promise<number> {
  // Before anything is written: a reader that goes away ends the command quietly.
  quietEpipe();
  const [command, ...rest] = args;
  if (command === "serve") return (await import("./serve-main.js")).serveMain(rest);
  if (command === "help" && rest.length > 0) return main([...rest, "--help"]);
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    const [{ help }, { findCli }] = await Promise.all([import("./help.js"), import("./find-cli.js")]);
    process.stdout.write(help(findCli() !== undefined));
    return 0;
  }
  if (command === "--version" || command === "-v") {
    const { sdkVersion } = await import("./sdk-version.js");
    process.stdout.write(`${sdkVersion()}\n`);
    return 0;
  }
  return (await import("./delegate.js")).delegate(args);
}
