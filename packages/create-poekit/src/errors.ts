/** What went wrong, for callers that react to one case (the `poekit` CLI maps them all to exit code 2). */
export type ScaffoldErrorCode =
  | "UNKNOWN_TEMPLATE"
  | "NOT_EMPTY"
  | "NOT_A_FOLDER"
  | "INVALID_NAME"
  | "INSTALL_FAILED"
  | "NO_PACKAGES";

/**
 * A mistake the user can fix, found before anything was written (or, for `INSTALL_FAILED`, after the
 * project was written): the message is one sentence saying what is wrong and what to do.
 * @example
 * throw new ScaffoldError("NOT_EMPTY", "my-bot is not empty; choose a new folder, or empty it first.");
 */
export class ScaffoldError extends Error {
  readonly code: ScaffoldErrorCode;

  constructor(code: ScaffoldErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ScaffoldError";
    this.code = code;
  }
}
