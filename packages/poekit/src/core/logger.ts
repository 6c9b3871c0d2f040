import { type LogFields, prettyFields } from "./log-fields.js";

/**
 * Where the server reports what happened. Messages never contain access keys or Authorization
 * headers, nor what users wrote. `fields` carries the request's ids (`requestId`, `bot`, `type`,
 * `conversationId`, `messageId`) for records made while answering one, and an access record's
 * figures. A pino logger works as it is: poekit calls it pino's way, `info(fields, message)`
 * (docs/observability.md).
 * @example
 * makeApp(bot, { logger: { info() {}, warn: console.warn, error: console.error } });
 */
export interface Logger {
  /** Details for finding a problem; poekit calls it only at LOG_LEVEL=debug, and only if it exists. */
  debug?(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  /** `error` is the thrown value when there is one, logged with its stack. */
  error(message: string, error?: unknown, fields?: LogFields): void;
}

/** Writes to the console with a `[poekit]` prefix, fields as ` key=value`. */
export const consoleLogger: Logger = {
  debug: (message, fields) => console.debug(`[poekit] ${message}${prettyFields(fields)}`),
  info: (message, fields) => console.info(`[poekit] ${message}${prettyFields(fields)}`),
  warn: (message, fields) => console.warn(`[poekit] ${message}${prettyFields(fields)}`),
  error: (message, error, fields) =>
    error === undefined
      ? console.error(`[poekit] ${message}${prettyFields(fields)}`)
      : console.error(`[poekit] ${message}${prettyFields(fields)}`, error),
};

/** Reports nothing; for tests. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
