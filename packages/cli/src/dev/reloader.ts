import path from "node:path";
import type { DevLog } from "./dev-log.js";
import type { DevProxy } from "./proxy.js";
import { exited, loadFailure, type Refusal, type RefusalText, typeErrors } from "./refusal.js";
import type { BotProcess } from "./start-bot-process.js";
import type { TypeChecker, TypeCheckOutcome } from "./type-checker.js";

/** Options of {@link createReloader}. */
export interface ReloaderOptions {
  /** Starts a process serving the module as it is on disk now; rejects with the reason it cannot. */
  startBot(signal: AbortSignal): Promise<BotProcess>;
  /** Checks the project before a version replaces the running one; null when types are not checked. */
  typeChecker: TypeChecker | null;
  proxy: DevProxy;
  /** How long a replaced version may go on answering the requests it has open. */
  graceMs: number;
  /** How long the versions still running get when the reloader closes. */
  closeGraceMs: number;
  /** Called once the proxy sends requests to a new version; `first` the first time one serves. */
  onServing(bot: BotProcess, first: boolean): Promise<void>;
  /**
   * Called when what answers is not the code on disk: a save refused (it did not load, or has type
   * errors) or the serving process stopped. It holds until the next `onServing`.
   */
  onRefused(refusal: Refusal): void;
  /** Names changed files in the messages. */
  cwd: string;
  log: DevLog;
}

/** Swaps the version of the bot behind the proxy as its files change. */
export interface Reloader {
  /**
   * Starts a new version, for these changed files (none for the first start). Changes that arrive
   * while a version starts are gathered into one more start after it. Resolves once this change has
   * been dealt with: served, or its error printed.
   */
  reload(changed: readonly string[]): Promise<void>;
  /** The version serving now, if any. */
  readonly current: BotProcess | null;
  /** Stops every version; those with open responses get `closeGraceMs`. */
  close(): Promise<void>;
}

/**
 * The reload loop of `poekit dev`. Each change starts a new bot process while the project is
 * type-checked; when both succeed, new requests go to the new process and the previous one finishes
 * its open responses within `graceMs` before it exits. A module that fails to load or a type error
 * leaves the previous version serving and says so; the next good save recovers.
 * @example
 * const reloader = createReloader({ startBot, typeChecker, proxy, graceMs: 60_000, closeGraceMs: 1_000, onServing, cwd, log });
 * await reloader.reload([]);
 */
export function createReloader(options: ReloaderOptions): Reloader {
  const { proxy, log } = options;
  let typeChecker = options.typeChecker;
  let current: BotProcess | null = null;
  /** When `current` started serving. */
  let currentSince = 0;
  /** The names of the bots the last version to serve served. */
  let lastBots: string[] = [];
  let servedOnce = false;
  let closing = false;
  let starting: AbortController | undefined;
  const running = new Set<BotProcess>();
  let chain: Promise<void> = Promise.resolve();
  let gathered: string[] | null = null;
  let gatheredDone: Promise<void> = chain;

  const track = (bot: BotProcess) => {
    running.add(bot);
    bot.exited.then((exit) => {
      running.delete(bot);
      if (bot !== current || closing) return;
      current = null;
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      proxy.pause(`The bot's process ${how}; save a file for poekit dev to start it again.`);
      log.error(`the bot's process ${how}; save a file to start it again.`);
      refuse(exited(how), bot);
    });
  };

  /** Reports a refusal for the bots of `bot`, else of the last version served. */
  const refuse = (text: RefusalText, bot?: BotProcess) => {
    const bots = bot ? bot.bots.map((served) => served.name) : lastBots;
    try {
      options.onRefused({ ...text, bots, servingSince: current ? currentSince : null });
    } catch (error) {
      log.error(`reporting to the simulator failed: ${(error as Error).message}`);
    }
  };

  const keeping = () => (current ? "still serving the previous version" : "nothing is served until it loads");

  const checkTypes = async (): Promise<TypeCheckOutcome | null> => {
    if (!typeChecker) return null;
    try {
      return await typeChecker.check();
    } catch (error) {
      if (closing) return null;
      log.warn(`type checking stopped (${(error as Error).message}); reloading without it.`);
      typeChecker = null;
      return null;
    }
  };

  const attempt = async (changed: readonly string[]) => {
    if (closing) return;
    const began = performance.now();
    const abort = new AbortController();
    starting = abort;
    const [started, types] = await Promise.all([
      options.startBot(abort.signal).then(
        (bot) => ({ bot }),
        (error: Error) => ({ error }),
      ),
      checkTypes(),
    ]);
    starting = undefined;
    if ("error" in started) {
      if (closing) return;
      log.error(`${started.error.message} (${keeping()})`);
      refuse(loadFailure(started.error.message));
      return;
    }
    const next = started.bot;
    track(next);
    if (closing) {
      await next.stop(0);
      return;
    }
    if (types && types.errorCount > 0) {
      await next.stop(0);
      const refusal = typeErrors(types);
      log.details(refusal.details);
      const count = `${types.errorCount} type error${types.errorCount === 1 ? "" : "s"}`;
      log.error(`${count}, so not reloaded: ${keeping()}; fix and save to reload.`);
      refuse(refusal, next);
      return;
    }
    const previous = current;
    current = next;
    currentSince = Date.now();
    lastBots = next.bots.map((served) => served.name);
    await proxy.switchTo(next.url);
    if (previous) void previous.stop(options.graceMs);
    const first = !servedOnce;
    servedOnce = true;
    try {
      await options.onServing(next, first);
    } catch (error) {
      log.error((error as Error).message);
    }
    if (!first) {
      const what = changed.length > 0 ? `${describeChanges(changed, options.cwd)} changed: ` : "";
      const done = typeChecker ? log.colors.green("types OK, reloaded") : log.colors.green("reloaded");
      log.info(`${what}${done} in ${Math.round(performance.now() - began)} ms`);
    }
  };

  return {
    reload: (changed) => {
      if (gathered) {
        gathered.push(...changed);
        return gatheredDone;
      }
      const batch: string[] = [...changed];
      gathered = batch;
      gatheredDone = chain = chain.then(() => {
        gathered = null;
        // A bug here must not end the loop: later saves still reload.
        return attempt(batch).catch((error: Error) => log.error(`reloading failed: ${error.stack ?? error}`));
      });
      return gatheredDone;
    },
    get current() {
      return current;
    },
    close: async () => {
      closing = true;
      starting?.abort();
      await chain;
      await Promise.all([...running].map((bot) => bot.stop(options.closeGraceMs)));
    },
  };
}

function describeChanges(files: readonly string[], cwd: string): string {
  const names = [...new Set(files.map((file) => path.relative(cwd, file) || file))];
  return names.length <= 2 ? names.join(" and ") : `${names[0]} and ${names.length - 1} more files`;
}
