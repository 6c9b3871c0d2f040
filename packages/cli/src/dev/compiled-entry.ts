import { existsSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../package-root.js";

/**
 * The file of a compiled module of this folder that runs in a process or thread of its own, such as
 * `bot-process`. It is found from the package root rather than beside this file: src/ and dist/ sit
 * side by side, so the sources (which the tests run) start the same compiled code as the built CLI.
 * @example
 * spawn(process.execPath, [compiledEntry("bot-process"), "bot.ts"]);
 */
export function compiledEntry(name: string): string {
  const file = path.join(packageRoot(), "dist/dev", `${name}.js`);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: poekit's CLI is not built; run \`npm run build\`.`);
  }
  return file;
}
