// @poekit/cli's program, as `poekit <command>` hands it over (poekit's bin imports "@poekit/cli/main")
// and as bin/poekit-cli.js runs it. The program is compiled TypeScript in ../dist, also bundled into
// ../dist/node-bundle (it starts faster); the bundle is used unless a compile came after it.
import { existsSync, statSync } from "node:fs";

/**
 * Runs the command line (`["dev", "bot.ts"]`) and resolves with the exit code.
 * @param {readonly string[]} args
 * @returns {Promise<number>}
 */
export async function main(args) {
  const compiled = new URL("../dist/main.js", import.meta.url);
  const bundled = new URL("../dist/node-bundle/main.js", import.meta.url);
  const mtime = (relative) =>
    statSync(new URL(relative, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const bundleIsCurrent = mtime("../dist/node-bundle/.bundled") >= mtime("../dist/.tsbuildinfo");
  const entry = bundleIsCurrent && existsSync(bundled) ? bundled : compiled;
  if (!existsSync(entry)) {
    process.stderr.write(
      "poekit: @poekit/cli is not built (packages/cli/dist/main.js is missing); run `npm run build`, or `npm install`, whose prepare step builds it.\n",
    );
    return 2;
  }
  const program = await import(entry.href);
  return program.main(args);
}
