// Printing an error for the user. Apart from user-error.ts, whose UserError every command throws:
// this needs colour detection (picocolors), which a command that succeeds never loads.
import { colorsFor } from "./terminal.js";
import { INTERNAL_ERROR_EXIT_CODE, oneLine, toUserError, USER_ERROR_EXIT_CODE } from "./user-error.js";

/** Where errors are reported: `process.stderr` or, in tests, anything with `write` and maybe `isTTY`. */
export interface ErrorStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Reports an error and returns the exit code to use: a user error is one line starting with
 * `poekit: ` (the word "error" in red on a terminal), anything else is a bug and gets its stack.
 * @example
 * process.exitCode = reportError(error); // 2 for a UserError or PoeConfigError, else 1
 */
export function reportError(error: unknown, stream: ErrorStream = process.stderr): number {
  const colors = colorsFor(stream);
  const userError = toUserError(error);
  if (userError) {
    stream.write(`poekit: ${colors.red("error")}: ${oneLine(userError.message)}\n`);
    return USER_ERROR_EXIT_CODE;
  }
  const details = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stream.write(
    `poekit: ${colors.red("internal error")} (a bug in poekit; please report it with what follows):\n${details}\n`,
  );
  return INTERNAL_ERROR_EXIT_CODE;
}
