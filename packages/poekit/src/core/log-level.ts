import { PoeConfigError } from "./errors.js";

/** How much poekit logs: `debug` everything, `silent` nothing; default `info`. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** The levels a record can have. */
export type RecordLevel = Exclude<LogLevel, "silent">;

const RANKS: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

// Other loggers' names for the same levels, so that a LOG_LEVEL set for them works here too.
const ALIASES: Readonly<Record<string, LogLevel>> = { trace: "debug", warning: "warn", fatal: "error" };

/** Whether a record at `level` passes a logger set to `threshold`. */
export function passes(level: RecordLevel, threshold: LogLevel): boolean {
  return RANKS[level] >= RANKS[threshold];
}

/**
 * Reads a level as LOG_LEVEL or the `logLevel` option gives it (any case, with pino's `trace` and
 * `fatal`); anything else is a {@link PoeConfigError} naming `source`.
 * @example
 * parseLogLevel("DEBUG", "LOG_LEVEL"); // "debug"
 */
export function parseLogLevel(value: string, source: string): LogLevel {
  const name = value.trim().toLowerCase();
  if (Object.hasOwn(RANKS, name)) return name as LogLevel;
  const alias = ALIASES[name];
  if (alias !== undefined) return alias;
  throw new PoeConfigError(
    `${source} must be one of debug, info, warn, error or silent, got ${JSON.stringify(value)}.`,
  );
}
