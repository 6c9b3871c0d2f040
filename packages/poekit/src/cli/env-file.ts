// The .env file of the working directory, loaded by `poekit serve`, `dev` and `sim` before they read
// PORT, HOST, POE_ACCESS_KEY and the rest: with Node's own reader (process.loadEnvFile), after a check
// of its lines, because Node skips a line it cannot read without a word and the variable is then
// silently missing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "./user-error.js";

/** The file loaded when none is named. */
export const DEFAULT_ENV_FILE = ".env";

/**
 * Loads an env file into `process.env`; a variable already in the environment keeps its value.
 * `file` is the one `--dotenv` names (it must exist), `false` for `--no-dotenv` (nothing is
 * loaded), or `undefined` for `./.env`, loaded when there is one. Returns the path loaded, if any.
 * A file with a line that is not `NAME=value` is a {@link UserError} naming the line.
 * @example
 * loadEnvFile(undefined); // "/app/.env", or undefined when there is none
 * loadEnvFile("config/prod.env");
 */
export function loadEnvFile(
  file: string | false | undefined,
  cwd: string = process.cwd(),
): string | undefined {
  if (file === false) return undefined;
  const display = file ?? DEFAULT_ENV_FILE;
  const target = path.resolve(cwd, display);
  let text: string;
  try {
    text = readFileSync(target, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && file === undefined) return undefined;
    const why = code === "ENOENT" ? "there is no such file" : (error as Error).message;
    throw new UserError(`cannot read the env file ${display}: ${why}.`);
  }
  const bad = firstMalformedLine(text);
  if (bad !== undefined) {
    const shown = bad.text.length > 40 ? `${bad.text.slice(0, 40)}…` : bad.text;
    throw new UserError(
      `${display}:${bad.number}: ${JSON.stringify(shown)} is not NAME=value; fix or remove the line${file === undefined ? ", or pass --no-dotenv" : ""}.`,
    );
  }
  process.loadEnvFile(target);
  return target;
}

const ASSIGNMENT = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*(.*)$/;

/**
 * The first line that is neither blank, a `#` comment, nor `NAME=value` (a quoted value may go on
 * over several lines, as Node reads it).
 */
export function firstMalformedLine(text: string): { number: number; text: string } | undefined {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const value = ASSIGNMENT.exec(line)?.[1];
    if (value === undefined) return { number: index + 1, text: line.trim() };
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === "`") && value.indexOf(quote, 1) === -1) {
      // A value that goes on: skip to the line that closes its quote.
      while (index + 1 < lines.length && !(lines[index + 1] ?? "").includes(quote)) index++;
      index++;
    }
  }
  return undefined;
}
