// The command line of `poekit serve`, read without a parsing library: serving is what a deployed bot
// starts with, and its start-up is measured (docs/benchmarks.md, start-up). It reads what commander
// read for the same options before serve moved into the SDK: `--opt value`, `--opt=value`, `-p 3000`,
// `-p3000`, `--` before modules that start with a dash, and the last of a repeated option.

import { closestName } from "./closest-name.js";
import { SERVE_OPTIONS, type ServeFlags, type ServeOption } from "./serve-options.js";
import { UserError } from "./user-error.js";

/** What `poekit serve <args>` asks for: its help, or to serve the modules with the flags. */
export type ServeArgs = { help: true } | { help?: false; modules: string[]; flags: ServeFlags };

const BY_NAME = new Map<string, ServeOption>(
  SERVE_OPTIONS.flatMap((option) => option.names.map((name) => [name, option] as const)),
);

/**
 * Reads the arguments after `poekit serve`. A mistake (an unknown option, a value missing, no module)
 * is a {@link UserError} saying what is wrong.
 * @example
 * parseServeArgs(["bot.js", "--port", "3000"]);
 * // { modules: ["bot.js"], flags: { syncSettings: true, port: "3000" } }
 * parseServeArgs(["bot.js", "--help"]); // { help: true }
 */
export function parseServeArgs(args: readonly string[]): ServeArgs {
  const flags: ServeFlags = { syncSettings: true };
  const modules: string[] = [];
  let onlyModules = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (onlyModules || arg === "-" || !arg.startsWith("-")) {
      modules.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyModules = true;
      continue;
    }
    if (arg === "--help" || arg === "-h") return { help: true };
    const { name, attached } = splitOption(arg);
    const option = BY_NAME.get(name);
    if (option === undefined) throw new UserError(unknownOption(name));
    if (option.value === undefined) {
      if (attached !== undefined) {
        throw new UserError(`option '${name}' takes no value; write ${name} alone.`);
      }
      setFlag(flags, option.key, option.negates !== true);
      continue;
    }
    const value = attached ?? args[++index];
    if (value === undefined || (attached === undefined && value.startsWith("--"))) {
      throw new UserError(`option '${usage(option)}' argument missing; give it a value.`);
    }
    setFlag(flags, option.key, value);
  }
  if (modules.length === 0) {
    throw new UserError(
      "missing required argument 'module'; give the bot's file or folder, as in `poekit serve bot.ts` (`poekit serve --help` lists the options).",
    );
  }
  return { modules, flags };
}

/** `--port=3000` → `--port` and `3000`; `-p3000` → `-p` and `3000`. */
function splitOption(arg: string): { name: string; attached?: string } {
  if (arg.startsWith("--")) {
    const equals = arg.indexOf("=");
    return equals === -1 ? { name: arg } : { name: arg.slice(0, equals), attached: arg.slice(equals + 1) };
  }
  return arg.length > 2 ? { name: arg.slice(0, 2), attached: arg.slice(2) } : { name: arg };
}

function setFlag(flags: ServeFlags, key: keyof ServeFlags, value: string | boolean): void {
  (flags as Record<string, string | boolean>)[key] = value;
}

/** How help writes an option: `-p, --port <port>`. */
export function usage(option: ServeOption): string {
  const names = option.names.join(", ");
  return option.value === undefined ? names : `${names} <${option.value}>`;
}

function unknownOption(name: string): string {
  const closest = closestName(
    name,
    [...BY_NAME.keys()].filter((known) => known.startsWith("--")),
  );
  const hint = closest === undefined ? "" : ` (Did you mean ${closest}?)`;
  return `unknown option '${name}'${hint}; \`poekit serve --help\` lists the options.`;
}
