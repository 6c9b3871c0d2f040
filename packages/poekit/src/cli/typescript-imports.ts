// What lets the bin import a bot written in TypeScript with Node's own type stripping (Node 22.18 and
// later run .ts files without a flag), rather than a compiler shipped with poekit.
import * as nodeModule from "node:module";
import { UserError } from "./user-error.js";

type Resolved = { url: string };
type NextResolve = (specifier: string, context?: ResolveContext) => Resolved;
type ResolveContext = { parentURL?: string | undefined };
type RegisterHooks = (hooks: {
  resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Resolved;
}) => unknown;

/** Set once the hook is in place, for this process. */
let enabled = false;

/**
 * Makes later imports of TypeScript work as `tsc` users write them, once per process. Throws a
 * {@link UserError} on a Node that cannot strip types.
 * @example
 * enableTypeScriptImports();
 * await import(pathToFileURL("bot.ts").href);
 */
export function enableTypeScriptImports(): void {
  if (enabled) return;
  const features = process.features as { typescript?: string | false };
  if (!features.typescript) {
    throw new UserError(
      `Node ${process.version} does not run TypeScript; poekit runs .ts bots on Node 22.18 or later, which strips types itself. Upgrade Node, or compile the bot to JavaScript and serve the .js file.`,
    );
  }
  // registerHooks is Node 22.15 and later, so present wherever types are stripped without a flag.
  const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
  registerHooks?.({ resolve: resolveTypeScriptTwin });
  enabled = true;
}

/**
 * A resolve hook: a relative import of `./util.js` from a TypeScript file, when there is no such file,
 * loads `./util.ts`. That is how TypeScript with `"module": "NodeNext"` has its imports written (the
 * name of the compiled file), and Node's type stripping does not map them by itself.
 */
export function resolveTypeScriptTwin(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Resolved {
  try {
    return nextResolve(specifier, context);
  } catch (error) {
    const twin = typeScriptTwin(specifier, context.parentURL);
    if (twin === undefined || (error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    try {
      return nextResolve(twin, context);
    } catch {
      // The original error names the file that was asked for.
      throw error;
    }
  }
}

const TWINS: Record<string, string> = { ".js": ".ts", ".mjs": ".mts", ".cjs": ".cts" };

function typeScriptTwin(specifier: string, parentURL: string | undefined): string | undefined {
  if (parentURL === undefined || !/\.[mc]?ts$/.test(parentURL) || parentURL.includes("/node_modules/")) {
    return undefined;
  }
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const extension = /\.[mc]?js$/.exec(specifier)?.[0];
  return extension === undefined ? undefined : specifier.slice(0, -extension.length) + TWINS[extension];
}
