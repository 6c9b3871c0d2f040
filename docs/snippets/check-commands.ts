import type { Argument, Command, Option } from "commander";
import { parseServeArgs } from "../../packages/poekit/src/cli/serve-args.js";

// How a docs line may start the CLI: `poekit …`, `npx poekit …`, `npx @poekit/cli@latest …`, `pnpm exec poekit …`.
const RUNNERS = new Set(["npx", "bunx", "pnpx", "yarn"]);
const RUNNERS_WITH_VERB = new Set(["npm exec", "pnpm exec", "pnpm dlx", "yarn exec", "yarn dlx"]);
const CLI_NAMES = new Set(["poekit", "@poekit/cli"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The arguments given to the `poekit` command by a shell command's words, or `undefined` when the
 * command runs something else. Leading `NAME=value` assignments and a package runner are skipped.
 * @example
 * poekitArguments(["PORT=3000", "npx", "poekit", "serve", "bot.ts"]); // ["serve", "bot.ts"]
 * poekitArguments(["npm", "test"]); // undefined
 */
export function poekitArguments(words: readonly string[]): string[] | undefined {
  const start = words.findIndex((word) => !ASSIGNMENT.test(word));
  if (start === -1) return undefined;
  let rest = words.slice(start);
  if (RUNNERS_WITH_VERB.has(rest.slice(0, 2).join(" "))) rest = rest.slice(2);
  else if (RUNNERS.has(rest[0] ?? "")) rest = rest.slice(1);
  // A runner's own flags (npx --yes) come before the package; npm exec puts "--" after it.
  while (rest[0]?.startsWith("-")) rest = rest.slice(1);
  const name = (rest[0] ?? "").replace(/(.)@[^/]*$/, "$1");
  if (!CLI_NAMES.has(name)) return undefined;
  rest = rest.slice(1);
  return rest[0] === "--" ? rest.slice(1) : rest;
}

/**
 * What is wrong with `poekit <args>`, or `undefined` when it parses: `poekit serve` with its own
 * parser (the SDK's bin reads it, not commander), every other command with `program`, @poekit/cli's.
 * @example
 * poekitProblem(createProgram(), ["serve", "bot.ts", "--prot", "3000"]);
 * // "unknown option '--prot' (Did you mean --port?); `poekit serve --help` lists the options."
 */
export function poekitProblem(program: Command, args: readonly string[]): string | undefined {
  if (args[0] !== "serve") return cliProblem(program, args);
  try {
    parseServeArgs(args.slice(1));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Parses `args` with the CLI's own commander program, every action replaced by nothing, and returns
 * commander's complaint (an unknown command or option, a missing or surplus argument, a value its
 * parser refuses), or `undefined` when the command line is valid. Values written as placeholders
 * (`$PORT`, `<key>`) are not given to the parsers. The program is changed: pass a new one each time.
 * @example
 * cliProblem(createProgram(), ["dev", "bot.ts", "--prot", "3000"]);
 * // "unknown option '--prot' (Did you mean --port?)"
 */
export function cliProblem(program: Command, args: readonly string[]): string | undefined {
  silence(program);
  try {
    program.parse([...args], { from: "user" });
    return undefined;
  } catch (error) {
    if (!isCommanderError(error)) throw error;
    if (error.exitCode === 0) return undefined; // --help, --version
    return error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
  }
}

/** Makes parsing side-effect free: no action runs, nothing is printed, no exit. */
function silence(command: Command): void {
  command.exitOverride();
  command.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  if (command.commands.length === 0) command.action(() => {});
  for (const input of [...command.options, ...command.registeredArguments]) skipPlaceholders(input);
  for (const subcommand of command.commands) silence(subcommand);
}

function skipPlaceholders(input: Option | Argument): void {
  const parse = input.parseArg;
  if (!parse) return;
  input.parseArg = <T>(value: string, previous: T): T =>
    /^\$|^<.*>$/.test(value) ? previous : parse(value, previous);
}

function isCommanderError(error: unknown): error is { exitCode: number; message: string } {
  return (
    error instanceof Error &&
    "code" in error &&
    typeof error.code === "string" &&
    error.code.startsWith("commander.") &&
    "exitCode" in error &&
    typeof error.exitCode === "number"
  );
}
