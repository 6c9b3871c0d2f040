import type { Logger } from "../core/logger.js";
import type { PoeApp } from "./poe-app.js";
import type { PoeBot } from "./poe-bot.js";
import { syncSettingsAtStartup } from "./startup-sync.js";

/**
 * The start-up settings sync of one app, run at most once. `run()` starts it as it listens; a bare
 * `makeApp` has no start-up hook on Workers, Bun, Deno or Vercel (Workers even refuses network calls
 * outside a request), so it starts on the app's first request, whichever comes first.
 * @example
 * const sync = new SettingsSyncOnce(bots, logger, true);
 * sync.start(); // the sync's promise
 * sync.start(); // undefined: already started
 */
export class SettingsSyncOnce {
  /** Resolves when the sync has ended; at once when there is nothing to sync. */
  readonly synced: Promise<void>;
  #start: (() => Promise<void>) | undefined;

  constructor(bots: readonly PoeBot[], logger: Logger, enabled: boolean) {
    // Only keyed bots are synced, or told why not; an app of open bots has nothing to wait for.
    if (!enabled || !bots.some((bot) => bot.accessKey !== null)) {
      this.synced = Promise.resolve();
      return;
    }
    let ended!: () => void;
    this.synced = new Promise((resolve) => {
      ended = resolve;
    });
    this.#start = () => {
      syncSettingsAtStartup(bots, logger).then(ended);
      return this.synced;
    };
  }

  /** Starts the sync: its promise the first time, undefined after (or when there is nothing to sync). */
  start(): Promise<void> | undefined {
    const start = this.#start;
    if (start === undefined) return undefined;
    this.#start = undefined;
    return start();
  }
}

/**
 * Each app's sync, for `run()` to start it as it listens. Kept out of `PoeApp`, like `answerers`.
 * @internal
 */
export const settingsSyncs = new WeakMap<PoeApp, SettingsSyncOnce>();

/**
 * Keeps a background promise alive after the answer where the runtime would otherwise cut it off:
 * through the `waitUntil` of the first extra fetch argument that has one (Workers' `ctx`, Vercel's
 * and Netlify's `context`). Elsewhere (Node, Bun, Deno) the process outlives the answer anyway.
 */
export function holdOpen(promise: Promise<void>, platform: readonly unknown[]): void {
  for (const argument of platform) {
    const holder = argument as { waitUntil?: unknown } | null;
    if (typeof holder === "object" && holder !== null && typeof holder.waitUntil === "function") {
      try {
        (holder as { waitUntil(promise: Promise<void>): void }).waitUntil(promise);
      } catch {
        // A waitUntil that refuses (called after its request ended) leaves the sync running anyway.
      }
      return;
    }
  }
}
