import type { QueryRequest } from "../protocol/query-request.js";
import { PoeBot } from "../server/poe-bot.js";
import type { RequestContext } from "../server/request-context.js";

/** What the bots of a {@link ShutdownBot} did, counted. */
export interface ShutdownTally {
  started: number;
  finished: number;
  /** Generators whose `finally` ran (finished or stopped). */
  cleanedUp: number;
  /** Signals seen aborted when the generator was stopped. */
  aborted: number;
}

/** The body of a stream a {@link ShutdownBot} finished by itself. */
export const BRIEF_BODY = 'event: text\r\ndata: {"text":"finished"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n';

/** How a stream that shutdown cut ends: what it had sent, then the shutdown error and `done`. */
export const CUT_BODY =
  'event: text\r\ndata: {"text":"working"}\r\n\r\n' +
  'event: error\r\ndata: {"allow_retry":true,"text":"The bot server is shutting down; please try again."}\r\n\r\n' +
  "event: done\r\ndata: {}\r\n\r\n";

/**
 * A bot for shutdown tests: a message `brief <ms>` is answered "finished" after `ms`; any other
 * message gets "working" and then waits, as a long answer does, until the response is stopped
 * (its wait follows `context.signal`, as a well-behaved bot's upstream calls do).
 * @example
 * const bot = new ShutdownBot();
 * await run(bot, { port: 0, allowWithoutKey: true });
 */
export class ShutdownBot extends PoeBot {
  readonly tally: ShutdownTally = { started: 0, finished: 0, cleanedUp: 0, aborted: 0 };

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    this.tally.started++;
    const message = request.query.at(-1)?.content ?? "";
    try {
      const brief = /^brief (\d+)$/.exec(message);
      if (brief) {
        await waitFor(Number(brief[1]), context.signal);
        yield "finished";
        this.tally.finished++;
        return;
      }
      yield "working";
      await waitFor(Number.POSITIVE_INFINITY, context.signal);
    } finally {
      this.tally.cleanedUp++;
      if (context.signal.aborted) this.tally.aborted++;
    }
  }
}

/** Waits `ms` (forever for Infinity), or rejects as soon as `signal` aborts. */
function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = ms === Number.POSITIVE_INFINITY ? undefined : setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
