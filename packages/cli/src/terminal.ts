import pc from "picocolors";

/** A stream the CLI writes to: `process.stdout`, `process.stderr`, or a test's collector. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The colour functions of picocolors (`red`, `green`, `dim`, ...). */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Whether to colour what goes to `stream`: only on a terminal, and never when `NO_COLOR` is set to
 * anything but the empty string (https://no-color.org) or `TERM` is `dumb`.
 * @example
 * useColor(process.stdout); // false when piped, or with NO_COLOR=1
 */
export function useColor(
  stream: OutputStream,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/**
 * Colour functions for `stream`: real ones on a terminal, identity functions otherwise.
 * @example
 * const c = colorsFor(process.stdout);
 * process.stdout.write(`${c.green("pass")} settings\n`);
 */
export function colorsFor(
  stream: OutputStream,
  env: Record<string, string | undefined> = process.env,
): Colors {
  return pc.createColors(useColor(stream, env));
}
