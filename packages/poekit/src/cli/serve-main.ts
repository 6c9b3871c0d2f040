// `poekit serve`: what a deployed bot starts with. Its start-up is measured against a bare node:http
// server (docs/benchmarks.md, start-up), so it loads its own command line reader and the SDK, and
// nothing of the other commands.
import { loadEnvFile } from "./env-file.js";
import { serveAction } from "./serve-action.js";
import { parseServeArgs } from "./serve-args.js";

/**
 * Runs `poekit serve <args>` and resolves with the exit code: 0 once serving (the server goes on), 2
 * for a mistake the user can fix (one line on stderr), 1 for a bug.
 * @example
 * process.exitCode = await serveMain(["examples/echo", "--allow-without-key"]);
 */
export async function serveMain(args: readonly string[]): Promise<number> {
  try {
    const parsed = parseServeArgs(args);
    if (parsed.help) {
      const { serveHelp } = await import("./serve-help.js");
      process.stdout.write(serveHelp());
      return 0;
    }
    // First: PORT, HOST and POE_ACCESS_KEY may come from it.
    loadEnvFile(parsed.flags.dotenv);
    await serveAction(parsed.modules, parsed.flags);
    return 0;
  } catch (error) {
    // Loaded here: needed only to report a failure.
    const { reportError } = await import("./report-error.js");
    return reportError(error);
  }
}
