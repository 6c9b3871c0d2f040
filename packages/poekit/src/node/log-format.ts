import { PoeConfigError } from "../core/errors.js";
import { jsonLogger } from "../core/json-logger.js";
import { consoleLogger, type Logger } from "../core/logger.js";
import { batchedLines } from "./batched-lines.js";

/** How `run()` and `poekit serve` write their logs: a JSON line per record, or lines for people. */
export type LogFormat = "json" | "pretty";

/**
 * The log format: the option (or `--log-format`), else `POEKIT_LOG_FORMAT`, else `pretty` when stdout
 * is a terminal and `json` otherwise (a log shipper, a container's log). A value that is neither is a
 * {@link PoeConfigError}.
 * @example
 * resolveLogFormat(undefined, process.env, process.stdout.isTTY); // "pretty" in a terminal
 */
export function resolveLogFormat(
  given: string | undefined,
  env: Record<string, string | undefined>,
  isTerminal: boolean,
): LogFormat {
  const value = given ?? (env.POEKIT_LOG_FORMAT || undefined);
  if (value === undefined) return isTerminal ? "pretty" : "json";
  const format = value.trim().toLowerCase();
  if (format === "json" || format === "pretty") return format;
  const source = given !== undefined ? "The log format" : "POEKIT_LOG_FORMAT";
  throw new PoeConfigError(`${source} must be json or pretty, got ${JSON.stringify(value)}.`);
}

/**
 * The logger of `run()` and `poekit serve` in `format`: JSON lines on stdout, or the console logger
 * (info on stdout, warnings and errors on stderr).
 * @example
 * const logger = formatLogger("json");
 */
export function formatLogger(format: LogFormat): Logger {
  if (format === "pretty") return consoleLogger;
  // Straight to stdout (console.log would format the line again), a batch per turn of the event loop.
  return jsonLogger(batchedLines((chunk) => process.stdout.write(chunk)));
}
