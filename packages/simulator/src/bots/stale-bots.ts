import type { EventBus } from "../events/event-bus.js";
import type { StaleBot } from "../model.js";

/** What `poekit dev` reports about a bot; the simulator adds the name and the time. */
export type StaleReport = Omit<StaleBot, "botName" | "at">;

/** Bounds on what the page is sent: a compiler can print a great deal, and a page shows only the start. */
const MAX_SUMMARY_CHARS = 500;
const MAX_DETAILS = 20;
const MAX_DETAIL_CHARS = 4_000;

/** Terminal colour and cursor sequences, which compilers and loaders print on a terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the sequences removed.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]/g;
/** Control characters but tab and line feed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is removed.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * The bots whose answers do not come from their saved code, by name, as `poekit dev` reports them
 * through the simulator's in-process API. In memory only: it says what this session's processes do,
 * which a database kept across sessions would get wrong. Every change goes to the pages as a
 * `stale-bot` event; `/api/state` lists them for a page that opens later.
 * @example
 * staleBots.set("EchoBot", { reason: "type-errors", summary: "1 type error in index.ts", details, servingSince: Date.now() });
 * staleBots.clear("EchoBot");
 */
export class StaleBots {
  readonly #bus: EventBus;
  readonly #now: () => number;
  readonly #byName = new Map<string, StaleBot>();

  constructor(bus: EventBus, now: () => number = Date.now) {
    this.#bus = bus;
    this.#now = now;
  }

  /** Marks the bot stale, replacing what was said before, and tells the pages. Returns what they got. */
  set(botName: string, report: StaleReport): StaleBot {
    const stale: StaleBot = {
      botName,
      reason: report.reason,
      summary: clean(report.summary.replace(/\s*\n\s*/g, " "), MAX_SUMMARY_CHARS),
      details: report.details.slice(0, MAX_DETAILS).map((detail) => clean(detail, MAX_DETAIL_CHARS)),
      servingSince: report.servingSince,
      at: this.#now(),
    };
    this.#byName.set(botName, stale);
    this.#bus.publish({ type: "stale-bot", botName, stale });
    return stale;
  }

  /** The bot answers with its saved code again: forgets it, and tells the pages if it was stale. */
  clear(botName: string): void {
    if (!this.#byName.delete(botName)) return;
    this.#bus.publish({ type: "stale-bot", botName, stale: null });
  }

  get(botName: string): StaleBot | undefined {
    return this.#byName.get(botName);
  }

  /** Every stale bot, in the order they were first reported. */
  list(): StaleBot[] {
    return [...this.#byName.values()];
  }
}

/** Text as the page may show it: no terminal sequences or control characters, and bounded. */
function clean(text: string, max: number): string {
  const plain = text.replace(ANSI_SEQUENCE, "").replace(CONTROL, "");
  return plain.length <= max ? plain : `${plain.slice(0, max)}…`;
}
