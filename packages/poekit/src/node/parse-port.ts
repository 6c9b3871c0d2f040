import { PoeConfigError } from "../core/errors.js";

/**
 * A TCP port from a string or number: an integer from 0 to 65535 (0 lets the system choose).
 * @example
 * parsePort("8080", "--port"); // 8080
 */
export function parsePort(value: string | number, source: string): number {
  const port = typeof value === "number" ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new PoeConfigError(
      `${source} must be a port number from 0 to 65535, got ${JSON.stringify(String(value))}.`,
    );
  }
  return port;
}

/**
 * The value of `-p`/`--port` in command-line arguments, if given (as fastapi_poe's `run` reads it).
 * @example
 * portFromArgv(["--port", "9000"]); // "9000"
 */
export function portFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-p" || arg === "--port") return argv[i + 1] ?? "";
    if (arg.startsWith("--port=")) return arg.slice("--port=".length);
  }
  return undefined;
}
