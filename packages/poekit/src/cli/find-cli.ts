// Finding @poekit/cli, which the bin hands every command but serve to.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CLI_PACKAGE } from "./commands.js";

/** @poekit/cli's program: `main(args)` resolves with the exit code, as the bin's own does. */
export interface CliProgram {
  main(args: readonly string[]): Promise<number>;
}

/**
 * The file of @poekit/cli's program (its `./main` export): the project's, resolved from `cwd`, else
 * the one installed beside this poekit (`npx` with both, a global install). `undefined` when neither.
 * @example
 * findCli(); // "/app/node_modules/@poekit/cli/bin/main.js"
 */
export function findCli(cwd: string = process.cwd()): string | undefined {
  // createRequire takes a file; the package.json need not exist for the lookup to start there.
  for (const from of [path.join(cwd, "package.json"), fileURLToPath(import.meta.url)]) {
    try {
      return createRequire(from).resolve(`${CLI_PACKAGE}/main`);
    } catch {
      // Not installed there: the next place.
    }
  }
  return undefined;
}
