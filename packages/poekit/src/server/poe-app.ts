import type { PoeBot } from "./poe-bot.js";

/** A bot server as a web-standard fetch handler. */
export interface PoeApp {
  /**
   * Answers one HTTP request; mount it in any runtime that speaks `Request`/`Response`. Pass on what
   * else the runtime gives the handler (Workers' `env, ctx`, Vercel's `context`): a `waitUntil` among
   * it keeps the first request's settings sync going after the answer.
   */
  fetch(request: Request, ...platform: unknown[]): Promise<Response>;
  /** The bots served, by path. */
  readonly bots: ReadonlyMap<string, PoeBot>;
  /** Responses still streaming. */
  readonly openStreams: number;
  /**
   * Waits up to `graceMs` for open responses to finish, then ends the rest with an `error` event
   * (retry allowed) and `done`. For graceful shutdown. Resolves with how many were cut short.
   */
  drain(graceMs: number): Promise<number>;
  /**
   * Resolves when the start-up settings syncs have ended, failed or not: at once when there are none;
   * after the first request when no `run()` started them.
   */
  readonly settingsSynced: Promise<void>;
}
