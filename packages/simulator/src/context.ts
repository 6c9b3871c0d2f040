import type { BotRegistry } from "./bots/registry.js";
import type { StaleBots } from "./bots/stale-bots.js";
import type { AnswerQueue } from "./conversation/answer-queue.js";
import type { Balance } from "./cost/balance.js";
import type { EventBus } from "./events/event-bus.js";
import type { FileUrls } from "./files/file-urls.js";
import type { ExchangeLimits } from "./query/run-exchange.js";
import type { Store } from "./store/store.js";
import type { TaskTracker } from "./task-tracker.js";

/** What every part of a running simulator shares. */
export interface SimulatorContext {
  store: Store;
  registry: BotRegistry;
  /** The bots `poekit dev` reports not answering with their saved code. */
  staleBots: StaleBots;
  bus: EventBus;
  fileUrls: FileUrls;
  balance: Balance;
  /** Answers and reports running in the background, so that closing can stop and await them. */
  tasks: TaskTracker;
  /** The simulator's own origin (`http://127.0.0.1:7777`), known once it listens. */
  origin(): string;
  /** Poe's limits, lowered in tests. */
  limits?: Partial<ExchangeLimits>;
  /**
   * The bot that describes images for `enable_image_comprehension` (`--vision-model`); without one,
   * images are described from their metadata.
   */
  visionBot?: string;
  /** `parsed_content` already worked out, by file id and the settings that shape it. */
  parsedContentCache: Map<string, string | null>;
  /** Keeps the answers of each conversation in order. */
  answers: AnswerQueue;
}
