import { makeApp, type PoeBot } from "poekit";
import { keysMatch } from "poekit/protocol";
import type { BotRecord, BotSettings } from "../model.js";
import { generateAccessKey } from "../query/generated-key.js";
import { httpFetch } from "../query/http-fetch.js";
import type { ExchangeTarget } from "../query/target.js";
import type { StoredBot } from "../store/bots-store.js";
import type { Store } from "../store/store.js";
import type { TaskTracker } from "../task-tracker.js";
import { fetchBotSettings } from "./fetch-settings.js";
import { reportSettingsError } from "./report-settings-error.js";
import { DEFAULT_SETTINGS, normalizeSettings } from "./settings.js";
import { type SettingsFetchTrigger, SettingsRetrySchedule } from "./settings-retry.js";

/** A bot the simulator runs in its own process: a built-in or a configured model. */
export interface InProcessBot {
  name: string;
  kind: "builtin" | "model";
  /** What the bots list says runs it. */
  description: string;
  bot: PoeBot;
}

/** Bot names as Poe allows them: letters, digits, `-`, `_` and `.`, up to 64 characters. */
const BOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Why a registration was refused, as a sentence for the user. */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";

  /** `noSuchBot`: refused because the bot does not exist, rather than because the input is wrong. */
  constructor(
    message: string,
    readonly noSuchBot = false,
  ) {
    super(message);
  }
}

/** Options of {@link BotRegistry}. */
export interface BotRegistryOptions {
  /**
   * Runs settings retries and `report_error`s in the background; its signal stops them (and pending
   * retry timers) when the simulator closes.
   */
  tasks: TaskTracker;
  /** Called after a settings fetch the registry made on its own (a retry), so that the page is told. */
  onSettingsChange?: () => void;
  /** When failed settings fetches are retried; default `SETTINGS_RETRY_DELAYS_MS`. */
  settingsRetryDelaysMs?: readonly number[];
}

/**
 * The bots the simulator knows: those registered by URL (kept in the database) and those it runs
 * itself. It owns their settings and says how to reach each one.
 */
export class BotRegistry {
  readonly #store: Store;
  readonly #tasks: TaskTracker;
  readonly #onSettingsChange: () => void;
  readonly #retries: SettingsRetrySchedule;
  readonly #inProcess = new Map<string, { bot: InProcessBot; target: ExchangeTarget }>();
  // Keys sent to bots that were given none, by name; kept for the simulator's life only, since such a
  // bot accepts any key. They never match a key a bot presents (keyMatches reads the stored one).
  readonly #generatedKeys = new Map<string, string>();

  constructor(store: Store, inProcess: readonly InProcessBot[], options: BotRegistryOptions) {
    this.#store = store;
    this.#tasks = options.tasks;
    this.#onSettingsChange = options.onSettingsChange ?? (() => {});
    this.#retries = new SettingsRetrySchedule({
      retry: (name) => this.#refreshInBackground(name, "retry"),
      signal: options.tasks.signal,
      delaysMs: options.settingsRetryDelaysMs,
    });
    for (const entry of inProcess) {
      if (this.#inProcess.has(entry.name)) {
        throw new RegistrationError(
          `Two bots are named "${entry.name}" (a built-in, --model or --alias); give each its own name.`,
        );
      }
      const path = `/${entry.name}`;
      entry.bot.path = path;
      // An empty env: a POE_ACCESS_KEY in the user's shell belongs to their own bot, and an in-process
      // bot that adopted it would refuse the simulator's keyless requests.
      const app = makeApp(entry.bot, {
        allowWithoutKey: true,
        logger: quietLogger,
        env: {},
        syncSettings: false,
      });
      const url = `http://in-process.poekit${path}`;
      this.#inProcess.set(entry.name, {
        bot: entry,
        target: {
          name: entry.name,
          url,
          accessKey: this.#generatedKey(entry.name),
          fetch: (input, init) => app.fetch(new Request(input, init)),
        },
      });
      store.bots.upsert({ name: entry.name, kind: entry.kind, url: entry.description, accessKey: null });
    }
  }

  /** Every bot, in-process ones first. */
  list(): BotRecord[] {
    return this.#store.bots
      .list()
      .filter((bot) => bot.kind === "url" || this.#inProcess.has(bot.name))
      .map((stored) => this.#toRecord(stored))
      .sort((a, b) => rank(a) - rank(b));
  }

  get(name: string): BotRecord | undefined {
    const stored = this.#stored(name);
    return stored && this.#toRecord(stored);
  }

  /** How to reach the bot, or undefined when there is no such bot. */
  target(name: string): ExchangeTarget | undefined {
    const inProcess = this.#inProcess.get(name);
    if (inProcess) return inProcess.target;
    const stored = this.#stored(name);
    return (
      stored && {
        name: stored.name,
        url: stored.url,
        accessKey: stored.accessKey ?? this.#generatedKey(stored.name),
        fetch: httpFetch,
      }
    );
  }

  settings(name: string): BotSettings {
    return this.get(name)?.settings ?? DEFAULT_SETTINGS;
  }

  /** Registers (or re-registers) a bot by URL and fetches its settings. */
  async register(input: { name: string; url: string; accessKey?: string | null }): Promise<BotRecord> {
    if (!BOT_NAME.test(input.name)) {
      throw new RegistrationError(
        `"${input.name}" is not a bot name: use letters, digits, "-", "_" or "." (at most 64 characters).`,
      );
    }
    if (this.#inProcess.has(input.name)) {
      throw new RegistrationError(`"${input.name}" is a built-in bot of the simulator; choose another name.`);
    }
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new RegistrationError(
        `"${input.url}" is not a URL; give the bot server's address, e.g. http://127.0.0.1:8080/`,
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new RegistrationError(`The bot URL must start with http:// or https://, got ${url.protocol}`);
    }
    this.#store.bots.upsert({
      name: input.name,
      kind: "url",
      url: url.href,
      accessKey: input.accessKey || null,
    });
    return this.refreshSettings(input.name);
  }

  remove(name: string): boolean {
    if (this.#inProcess.has(name))
      throw new RegistrationError(`"${name}" is built in and cannot be removed.`);
    this.#retries.forget(name);
    return this.#store.bots.delete(name);
  }

  /**
   * Asks the bot for its settings again, as Poe does on `fetch_settings`. A failure is kept on the
   * record, saying what was wrong, how to fix it and when the simulator tries again; a reply of the
   * wrong shape is also reported to the bot with `report_error`, as Poe does. Meanwhile the previous
   * settings (Poe's defaults at first) stay in force. `trigger` says whether this starts a new series
   * of retries (see `SETTINGS_RETRY_DELAYS_MS`).
   */
  async refreshSettings(name: string, trigger: SettingsFetchTrigger = "explicit"): Promise<BotRecord> {
    const target = this.target(name);
    if (!target) throw new RegistrationError(`There is no bot named "${name}".`, true);
    const result = await fetchBotSettings(target, this.#tasks.signal);
    const stored = this.#stored(name);
    if (!stored)
      throw new RegistrationError(`Bot "${name}" was removed while its settings were fetched.`, true);
    // Closing: the fetch was cancelled, which says nothing about the bot.
    if (this.#tasks.signal.aborted) return this.#toRecord(stored);
    if (result.ok || result.notImplemented) {
      this.#retries.forget(name);
      this.#store.bots.setSettings(name, result.ok ? result.settings : {});
    } else {
      const inForce =
        stored.settingsUpdatedAt === null
          ? "Poe's defaults apply until a fetch succeeds."
          : "The previous settings stay in force.";
      const next = this.#retries.failed(name, trigger);
      this.#store.bots.setSettingsError(name, `${result.error} ${inForce} ${next}`);
      if (result.answered) {
        this.#tasks.run(() => reportSettingsError(target, result.error, this.#tasks.signal));
      }
    }
    return this.get(name) as BotRecord;
  }

  /**
   * Called when a message is sent to the bot: if its settings failed and the timed retries are used
   * up, fetches them again in the background (the message does not wait).
   */
  retrySettingsAtMessage(name: string): void {
    if (this.#retries.claimMessageRetry(name)) this.#refreshInBackground(name, "message");
  }

  /** Fetches the settings of every bot, as Poe does when it starts; failures stay on each record. */
  async refreshAll(): Promise<void> {
    await Promise.all(this.list().map((bot) => this.refreshSettings(bot.name)));
  }

  /** Stores settings pushed with `update_settings`; throws InvalidSettingsError when they are not valid. */
  setSettings(name: string, settings: Record<string, unknown>): BotRecord {
    normalizeSettings(settings);
    this.#retries.forget(name);
    this.#store.bots.setSettings(name, settings);
    return this.get(name) as BotRecord;
  }

  /** Whether `key` is the bot's access key (constant-time); bots without a key accept none. */
  keyMatches(name: string, key: string): boolean {
    const expected = this.#stored(name)?.accessKey;
    return expected ? keysMatch(key, expected) : false;
  }

  /** The registered bot whose access key this is, if any. */
  findByAccessKey(key: string): BotRecord | undefined {
    const match = this.#store.bots
      .list()
      .find((bot) => bot.accessKey !== null && this.keyMatches(bot.name, key));
    return match && this.#toRecord(match);
  }

  #refreshInBackground(name: string, trigger: SettingsFetchTrigger): void {
    this.#tasks.run(
      async () => {
        await this.refreshSettings(name, trigger);
        this.#onSettingsChange();
      },
      (error) => {
        if (error instanceof RegistrationError) return; // the bot was removed meanwhile
        console.error(`[poekit simulator] fetching the settings of bot "${name}" again failed:`, error);
      },
    );
  }

  #generatedKey(name: string): string {
    let key = this.#generatedKeys.get(name);
    if (key === undefined) {
      key = generateAccessKey();
      this.#generatedKeys.set(name, key);
    }
    return key;
  }

  #toRecord(stored: StoredBot): BotRecord {
    return toRecord(stored, stored.accessKey === null ? this.#generatedKey(stored.name) : null);
  }

  #stored(name: string): StoredBot | undefined {
    const stored = this.#store.bots.get(name);
    if (!stored || (stored.kind !== "url" && !this.#inProcess.has(name))) return undefined;
    return stored;
  }
}

function toRecord(stored: StoredBot, generatedAccessKey: string | null): BotRecord {
  let settings = DEFAULT_SETTINGS;
  let settingsError = stored.settingsError;
  try {
    settings = normalizeSettings(stored.settings);
  } catch (error) {
    settingsError ??= (error as Error).message;
  }
  return {
    name: stored.name,
    kind: stored.kind,
    url: stored.url,
    hasAccessKey: stored.accessKey !== null,
    generatedAccessKey,
    settings,
    settingsUpdatedAt: stored.settingsUpdatedAt,
    settingsError,
  };
}

function rank(bot: BotRecord): number {
  return bot.kind === "builtin" ? 0 : bot.kind === "model" ? 1 : 2;
}

// In-process bots' own log lines would interleave with the simulator's; their errors reach the page
// as error events anyway.
const quietLogger = { info() {}, warn() {}, error() {} };
