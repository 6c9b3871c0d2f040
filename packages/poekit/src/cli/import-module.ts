import path from "node:path";
import { pathToFileURL } from "node:url";
import { oneLine, UserError } from "./user-error.js";

const TYPESCRIPT_EXTENSIONS = [".ts", ".mts"];

let typeScriptEnabled: Promise<void> | undefined;

/**
 * Lets later `import()`s load TypeScript, through tsx. Both of its hooks are needed: a `.ts` file in a
 * package without `"type": "module"` is loaded as CommonJS. Global hooks, rather than `tsImport`,
 * because `tsImport` loads the module's dependencies again in a namespace of their own, which would
 * give the bot a second copy of poekit.
 */
function enableTypeScript(): Promise<void> {
  typeScriptEnabled ??= (async () => {
    const [esm, cjs] = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
    cjs.register();
    esm.register();
  })();
  return typeScriptEnabled;
}

/**
 * Imports a user's module (TypeScript through tsx, JavaScript as it is) and returns its namespace.
 * A failure while loading, whether a syntax error or a throw at the top level, becomes a one-line
 * {@link UserError} with the module's own message and how to see the whole error.
 * @example
 * const namespace = await importModule("/abs/examples/echo/index.ts", "examples/echo/index.ts");
 */
export async function importModule(
  file: string,
  display: string,
  cwd: string = process.cwd(),
): Promise<unknown> {
  if (isTypeScript(file)) await enableTypeScript();
  try {
    const namespace: unknown = await import(pathToFileURL(file).href);
    return namespace;
  } catch (error) {
    throw new UserError(describeLoadFailure(error, file, display, cwd), { cause: error });
  }
}

function describeLoadFailure(error: unknown, file: string, display: string, cwd: string): string {
  const rerun = `run \`${isTypeScript(file) ? "npx tsx" : "node"} ${display}\``;
  if (!(error instanceof Error)) {
    return `${display} threw ${oneLine(String(error))} while loading; ${rerun} to see where.`;
  }
  const syntax = esbuildSyntaxError(error.message);
  if (syntax) {
    const at = `${syntax.position}: ${syntax.text}; fix it and run again.`;
    if (sameModule(syntax.file, file)) return `syntax error at ${display}:${at}`;
    return `${display} failed to load: syntax error at ${path.relative(cwd, syntax.file)}:${at}`;
  }
  const label = error.name === "Error" || error.name === "" ? "" : `${error.name}: `;
  const firstLine = error.message.split("\n")[0]?.trim() || "(no message)";
  const see = error.name === "SyntaxError" ? "where" : "the stack";
  return `${display} failed to load: ${label}${firstLine}; ${rerun} to see ${see}.`;
}

/** The first error of an esbuild transform failure, which tsx throws for TypeScript that does not parse. */
function esbuildSyntaxError(message: string): { file: string; position: string; text: string } | undefined {
  if (!message.startsWith("Transform failed")) return undefined;
  const match = /^(.+?):(\d+:\d+): ERROR: (.+)$/m.exec(message);
  if (!match) return undefined;
  return { file: match[1] ?? "", position: match[2] ?? "", text: match[3] ?? "" };
}

/** esbuild names a `.mts` file `.ts` in its messages, so compare without the extension. */
function sameModule(reported: string, file: string): boolean {
  const strip = (name: string) => name.slice(0, name.length - path.extname(name).length);
  return strip(path.resolve(reported)) === strip(file);
}

function isTypeScript(file: string): boolean {
  return TYPESCRIPT_EXTENSIONS.includes(path.extname(file));
}
