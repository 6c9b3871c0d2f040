import { createSpinner } from "nanospinner";
import { colorsFor, type OutputStream } from "./terminal.js";

/** Something that takes a moment, shown while it runs and settled with one line. */
export interface Progress {
  /** Changes the text shown while it runs. */
  update(text: string): void;
  /** Ends it with a tick and `text`. */
  succeed(text: string): void;
  /** Ends it with a cross and `text`. */
  fail(text: string): void;
  /** Ends it and removes the spinner without a line (for when the caller prints its own). */
  stop(): void;
}

/** The options of {@link startProgress}. */
export interface ProgressOptions {
  /** Default `process.stderr`, so that stdout stays clean for `--json` and pipes. */
  stream?: OutputStream;
  env?: Record<string, string | undefined>;
}

/**
 * Shows `text` with a spinner on a terminal; elsewhere (a pipe, CI, `TERM=dumb`) nothing is animated
 * and only the final line is written, so logs do not fill with frames.
 * @example
 * const progress = startProgress("Fetching settings from http://127.0.0.1:8080/");
 * try { await fetchSettings(); progress.succeed("Settings fetched"); }
 * catch (error) { progress.fail("Could not fetch settings"); throw error; }
 */
export function startProgress(text: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const colors = colorsFor(stream, env);
  // NO_COLOR is about colour, not motion: the spinner still turns, uncoloured (nanospinner uses picocolors).
  const animated = stream.isTTY === true && env.TERM !== "dumb" && !("CI" in env);
  if (animated) {
    const spinner = createSpinner(text, { stream: stream as NodeJS.WriteStream }).start();
    return {
      update: (next) => void spinner.update(next),
      succeed: (line) => void spinner.success(line),
      fail: (line) => void spinner.error(line),
      stop: () => void spinner.clear().stop(),
    };
  }
  let settled = false;
  const settle = (line: string | undefined): void => {
    if (settled) return;
    settled = true;
    if (line !== undefined) stream.write(`${line}\n`);
  };
  return {
    update: () => {},
    succeed: (line) => settle(`${colors.green("✔")} ${line}`),
    fail: (line) => settle(`${colors.red("✖")} ${line}`),
    stop: () => settle(undefined),
  };
}
