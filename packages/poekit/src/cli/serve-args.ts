// A plain `poekit serve` command line, read without commander (see serve-main.ts for why), from the
// same option list commander is given. Anything else (help, version, `--`, a short option with its
// value attached, an unknown or incomplete option) is left to commander, which says what is wrong
// exactly as it always has.
import { SERVE_OPTIONS, type ServeFlags } from "./serve.js";

/** What commander hands serve's action: the modules and the flags. */
export interface ServeArgs {
  modules: string[];
  flags: ServeFlags;
}

interface OptionSpec {
  /** The flags' key, as commander names it: `--access-key` → `accessKey`, `--no-sync-settings` → `syncSettings`. */
  key: string;
  takesValue: boolean;
  negated: boolean;
}

/**
 * The modules and flags of `poekit serve <args>`, equal to what commander would hand the action, or
 * `undefined` when the command line is not one this reads (commander's then).
 * @example
 * parseServeArgs(["bot.js", "--port", "3000"]);
 * // { modules: ["bot.js"], flags: { host: "0.0.0.0", syncSettings: true, port: "3000" } }
 * parseServeArgs(["bot.js", "--help"]); // undefined
 */
export function parseServeArgs(args: readonly string[]): ServeArgs | undefined {
  const specs = new Map<string, OptionSpec>();
  const flags: Record<string, string | boolean> = {};
  for (const option of SERVE_OPTIONS) {
    const names = option.flags.split(/[ ,|]+/).filter((part) => part.startsWith("-"));
    const long = names.find((name) => name.startsWith("--")) ?? "";
    const negated = long.startsWith("--no-");
    const spec = {
      key: camelCase(long.slice(negated ? 5 : 2)),
      takesValue: option.flags.includes("<"),
      negated,
    };
    for (const name of names) specs.set(name, spec);
    // Commander's defaults: the given one, and true for a `--no-` option with no positive form.
    if (option.defaultValue !== undefined) flags[spec.key] = option.defaultValue;
    else if (negated) flags[spec.key] = true;
  }
  const modules: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (!arg.startsWith("-")) {
      modules.push(arg);
      continue;
    }
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const spec = specs.get(equals === -1 ? arg : arg.slice(0, equals));
    if (spec === undefined) return undefined;
    if (!spec.takesValue) {
      if (equals !== -1) return undefined;
      flags[spec.key] = !spec.negated;
      continue;
    }
    const value = equals === -1 ? args[++index] : arg.slice(equals + 1);
    // A value that looks like an option is commander's to judge.
    if (value === undefined || value.startsWith("-")) return undefined;
    flags[spec.key] = value;
  }
  if (modules.length === 0) return undefined;
  return { modules, flags: flags as unknown as ServeFlags };
}

function camelCase(name: string): string {
  return name.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase());
}
