import type { Logger } from "../core/logger.js";

/**
 * The app's logger for a request being answered, by the parsed request the bot's hook receives, so
 * that a hook without a context (the default `PoeBot.onError`) still logs through the app's logger,
 * with the request's ids. A WeakMap, as in query-signals.ts: it works on every runtime and dies with
 * the request.
 * @internal
 */
const loggers = new WeakMap<object, Logger>();

/** Links `request` to the logger records about it go to. */
export function registerRequestLogger(request: object, logger: Logger): void {
  loggers.set(request, logger);
}

/** The logger of the request being answered, or undefined outside an app. */
export function requestLoggerOf(request: object): Logger | undefined {
  return loggers.get(request);
}
