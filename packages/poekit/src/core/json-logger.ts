import { isoTime } from "./iso-time.js";
import type { LogFields } from "./log-fields.js";
import type { Logger } from "./logger.js";

/**
 * A logger that writes each record as one line of JSON: `time` (ISO 8601), `level`, `msg`, the
 * record's fields, and `err` (`type`, `message`, `stack`) for a failure. For log shippers; works on
 * every runtime (the default writer is `console.log`).
 * @example
 * makeApp(bot, { logger: jsonLogger(), accessLog: true }); // {"time":"…","level":"info","msg":"query / 200 done in 3 ms",…}
 */
export function jsonLogger(write: (line: string) => void = (line) => console.log(line)): Logger {
  const record = (level: string, message: string, fields: LogFields | undefined, error?: unknown) =>
    write(jsonLine(level, message, fields, error));
  return {
    debug: (message, fields) => record("debug", message, fields),
    info: (message, fields) => record("info", message, fields),
    warn: (message, fields) => record("warn", message, fields),
    error: (message, error, fields) => record("error", message, fields, error),
  };
}

/** One record as a line of JSON, without its line break. */
export function jsonLine(
  level: string,
  message: string,
  fields: LogFields | undefined,
  error?: unknown,
): string {
  // Spliced rather than spread into one object: copying an access record's fields cost more than
  // encoding them.
  let line = `{"time":"${isoTime(Date.now())}","level":${JSON.stringify(level)},"msg":${JSON.stringify(message)}`;
  const rest = fields === undefined ? "{}" : JSON.stringify(fields);
  if (rest.length > 2) line += `,${rest.slice(1, -1)}`;
  if (error !== undefined) line += `,"err":${JSON.stringify(describeError(error))}`;
  return `${line}}`;
}

function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { message: String(error) };
}
