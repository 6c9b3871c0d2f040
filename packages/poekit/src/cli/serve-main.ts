// The entry of `poekit serve`, which bin/poekit.js loads instead of main.js for that command: serving
// is what a deployed bot starts with, and its start-up is measured against a bare node:http server
// (docs/benchmarks.md, start-up). Commander and the other commands' definitions cost about as much
// again as the rest of the command before the SDK, so a plain command line is read by parseServeArgs
// and served from here, bundled as one file; any other goes to main.js, and commander.
import { serveAction } from "./commands/serve-action.js";
import { parseServeArgs } from "./commands/serve-args.js";
import { quietEpipe } from "./quiet-epipe.js";

/**
 * Runs `poekit serve ...` and resolves with the exit code, as main() does.
 * @example
 * process.exitCode = await main(["serve", "examples/echo", "--allow-without-key"]);
 */
export async function main(args: readonly string[]): Promise<number> {
  // Before anything is written; a command line main.js takes installs it again, to no effect.
  quietEpipe();
  const serveArgs = args[0] === "serve" ? parseServeArgs(args.slice(1)) : undefined;
  if (serveArgs === undefined) return (await import("./main.js")).main(args);
  try {
    await serveAction(serveArgs.modules, serveArgs.flags);
    return 0;
  } catch (error) {
    // Loaded here: colour detection and its package are needed only to report a failure.
    const { reportError } = await import("./report-error.js");
    return reportError(error);
  }
}
