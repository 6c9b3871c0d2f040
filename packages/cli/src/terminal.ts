import pc from "picocolors";

/** A stream the CLI writes to: `process.stdout`, `process.stderr`, or a test's collector. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The colour functions of picocolors (`red`, `green`, `dim`, ...). */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Whether to colour what goes to `stream`. `FORCE_COLOR` decides when set, as it does for Node itself
 * (`0` or `false` turn colour off, anything else on, a pipe included); else never with `NO_COLOR` set
 * to anything but the empty string (https://no-color.org) or `TERM=dumb`; else only on a terminal.
 * The same rule as poekit's bin (packages/poekit/src/cli/use-color.ts), which has no picocolors.
 * @example
 * useColor(process.stdout); // false when piped, or with NO_COLOR=1; true with FORCE_COLOR=1
 */
export function useColor(
  stream: OutputStream,
  env: Record<string, string | undefined> = process.env,
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
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
