// Whether the bin colours what it writes. The same rule as @poekit/cli's terminal.ts, which colours
// through picocolors; the bin has no dependency for one red word.

/** A stream written to: `process.stderr`, or a test's collector. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Whether to colour what goes to `stream`. `FORCE_COLOR` decides when set, as it does for Node
 * itself (`0` or `false` turn colour off, anything else on, a pipe included); else never with
 * `NO_COLOR` set to anything but the empty string (https://no-color.org) or `TERM=dumb`; else only
 * on a terminal.
 * @example
 * useColor(process.stderr); // false when piped, or with NO_COLOR=1; true with FORCE_COLOR=1
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
 * `text` in red when `color`, else as it is.
 * @example
 * red("error", useColor(process.stderr));
 */
export function red(text: string, color: boolean): string {
  return color ? `\u001b[31m${text}\u001b[39m` : text;
}
