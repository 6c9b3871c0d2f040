// Mistakes the user can fix, reported as one line. @poekit/cli, whose commands throw a UserError of
// their own everywhere, recognises this one by its name (it reaches the bin's modules only by import()).

/** The exit code of every mistake the user can fix: a bad flag, a missing file, a module without a bot. */
export const USER_ERROR_EXIT_CODE = 2;

/** The exit code of a failure that is poekit's fault, reported with its stack. */
export const INTERNAL_ERROR_EXIT_CODE = 1;

/**
 * A mistake the user can fix. Its message is one sentence (or two) saying what is wrong and what to
 * do; it is printed on one line, without a stack.
 * @example
 * throw new UserError("examples/nope does not exist; give a bot file or a folder with index.ts.");
 */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UserError";
  }
}

/**
 * `error` as a {@link UserError} when it is one or a `PoeConfigError` (whose messages are written for
 * the user too), else `undefined`. A `PoeConfigError` is recognized by its name and code rather than
 * its class: that also recognizes one from another copy of poekit (the bot's, when it resolves its own).
 * @example
 * toUserError(new PoeConfigError("Port 8080 is in use.")); // UserError "Port 8080 is in use."
 */
export function toUserError(error: unknown): UserError | undefined {
  if (error instanceof UserError) return error;
  const isConfigError =
    error instanceof Error && error.name === "PoeConfigError" && "code" in error && error.code === "CONFIG";
  return isConfigError ? new UserError(error.message, { cause: error }) : undefined;
}

/** Joins the lines of a message, so that a report is always exactly one line. */
export function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
}
