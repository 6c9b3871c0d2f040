import { type Colors, colorsFor, type OutputStream } from "../terminal.js";

/** What `poekit dev` prints about itself: one line per event, each starting with `poekit dev:`. */
export interface DevLog {
  colors: Colors;
  /** A line on stdout. */
  info(text: string): void;
  /** A line on stderr, after `warning:`. */
  warn(text: string): void;
  /** A line on stderr, after `error:`. */
  error(text: string): void;
  /** Lines on stderr as they are (a compiler's diagnostics). */
  details(lines: readonly string[]): void;
}

/**
 * The log of `poekit dev`, coloured on a terminal (unless `NO_COLOR`).
 * @example
 * const log = createDevLog(process.stdout, process.stderr);
 * log.info("reloaded in 240 ms");
 */
export function createDevLog(
  stdout: OutputStream,
  stderr: OutputStream,
  env: Record<string, string | undefined> = process.env,
): DevLog {
  const colors = colorsFor(stdout, env);
  const errorColors = colorsFor(stderr, env);
  const prefix = (c: Colors) => c.dim("poekit dev:");
  return {
    colors,
    info: (text) => void stdout.write(`${prefix(colors)} ${text}\n`),
    warn: (text) => void stderr.write(`${prefix(errorColors)} ${errorColors.yellow("warning")}: ${text}\n`),
    error: (text) => void stderr.write(`${prefix(errorColors)} ${errorColors.red("error")}: ${text}\n`),
    details: (lines) => void stderr.write(lines.map((line) => `${line}\n`).join("")),
  };
}
