// Printing an error for the user of the bin: one line for a mistake they can fix, the stack for a bug.
import { type OutputStream, red, useColor } from "./use-color.js";
import { INTERNAL_ERROR_EXIT_CODE, oneLine, toUserError, USER_ERROR_EXIT_CODE } from "./user-error.js";

/**
 * Reports an error and returns the exit code to use: a user error is one line starting with
 * `poekit: ` (the word "error" in red on a terminal), anything else is a bug and gets its stack.
 * @example
 * process.exitCode = reportError(error); // 2 for a UserError or PoeConfigError, else 1
 */
export function reportError(
  error: unknown,
  stream: OutputStream = process.stderr,
  env: Record<string, string | undefined> = process.env,
): number {
  const color = useColor(stream, env);
  const userError = toUserError(error);
  if (userError) {
    stream.write(`poekit: ${red("error", color)}: ${oneLine(userError.message)}\n`);
    return USER_ERROR_EXIT_CODE;
  }
  const details = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stream.write(
    `poekit: ${red("internal error", color)} (a bug in poekit; please report it with what follows):\n${details}\n`,
  );
  return INTERNAL_ERROR_EXIT_CODE;
}
