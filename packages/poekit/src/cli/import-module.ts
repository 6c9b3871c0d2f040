import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { enableTypeScriptImports } from "./typescript-imports.js";
import { oneLine, UserError } from "./user-error.js";

const TYPESCRIPT_EXTENSIONS = [".ts", ".mts"];

/**
 * Imports a user's module (TypeScript with Node's type stripping, JavaScript as it is) and returns
 * its namespace. A failure while loading, whether a syntax error or a throw at the top level, becomes
 * a one-line {@link UserError} with the module's own message and how to see the whole error.
 * @example
 * const namespace = await importModule("/abs/examples/echo/index.ts", "examples/echo/index.ts");
 */
export async function importModule(
  file: string,
  display: string,
  cwd: string = process.cwd(),
): Promise<unknown> {
  if (TYPESCRIPT_EXTENSIONS.includes(path.extname(file))) enableTypeScriptImports();
  try {
    const namespace: unknown = await import(pathToFileURL(file).href);
    return namespace;
  } catch (error) {
    throw new UserError(describeLoadFailure(error, file, display, cwd), { cause: error });
  }
}

function describeLoadFailure(error: unknown, file: string, display: string, cwd: string): string {
  const rerun = `run \`node ${display}\``;
  if (!(error instanceof Error)) {
    return `${display} threw ${oneLine(String(error))} while loading; ${rerun} to see where.`;
  }
  const firstLine = error.message.split("\n")[0]?.trim() || "(no message)";
  const code = (error as { code?: string }).code;
  const at = syntaxErrorPosition(error);
  if (at !== undefined) {
    const where = path.resolve(at.file) === file ? display : path.relative(cwd, at.file);
    const prefix = where === display ? "" : `${display} failed to load: `;
    if (code === "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX") {
      return `${prefix}${where}:${at.position} uses TypeScript that Node cannot run by erasing types (${firstLine}); write it as JavaScript with types (a const object for an enum, fields assigned in the constructor for parameter properties), or compile the bot with tsc and serve the .js.`;
    }
    return `${prefix}syntax error at ${where}:${at.position}: ${firstLine}; fix it and run again.`;
  }
  const label = error.name === "Error" || error.name === "" ? "" : `${error.name}: `;
  const see = error.name === "SyntaxError" ? "where" : "the stack";
  return `${display} failed to load: ${label}${firstLine}; ${rerun} to see ${see}.`;
}

/**
 * Where a module failed to parse. Node puts it at the top of the stack of such a SyntaxError (as a
 * file URL, or a path for a module it first tried as CommonJS), with the line and a caret under the
 * column (after the lines around it, at times):
 *
 *     file:///…/bot.ts:1
 *     const answer: number = ;
 *                            ^
 */
function syntaxErrorPosition(error: Error): { file: string; position: string } | undefined {
  if (error.name !== "SyntaxError") return undefined;
  const [location, ...context] = (error.stack ?? "").split("\n");
  // The source lines shown may be more than one; the carets are on the first line that is only carets.
  const carets = context.slice(0, 6).find((line) => /^\s*\^+\s*$/.test(line));
  const match = /^(file:\/\/.+|\/.+|[A-Za-z]:\\.+):(\d+)$/.exec(location ?? "");
  if (!match) return undefined;
  const [, where = "", line = ""] = match;
  const column = carets?.indexOf("^") ?? -1;
  const position = column >= 0 ? `${line}:${column + 1}` : line;
  return { file: where.startsWith("file:") ? fileURLToPath(where) : where, position };
}
