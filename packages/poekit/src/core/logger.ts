/**
 * Where the server reports what happened. Messages never contain access keys or Authorization headers.
 * @example
 * makeApp(bot, { logger: { info() {}, warn: console.warn, error: console.error } });
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** `error` is the thrown value when there is one, logged with its stack. */
  error(message: string, error?: unknown): void;
}

/** Writes to the console with a `[poekit]` prefix. */
export const consoleLogger: Logger = {
  info: (message) => console.info(`[poekit] ${message}`),
  warn: (message) => console.warn(`[poekit] ${message}`),
  error: (message, error) =>
    error === undefined ? console.error(`[poekit] ${message}`) : console.error(`[poekit] ${message}`, error),
};

/** Reports nothing; for tests. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
