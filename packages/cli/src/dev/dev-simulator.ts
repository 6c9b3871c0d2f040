import type { BotRecord, ConversationRecord, InProcessBot, RunningSimulator } from "@poekit/simulator";
import { UserError } from "../user-error.js";
import type { ServedBot } from "./bot-process-messages.js";
import type { Refusal } from "./refusal.js";

/** Options of {@link startDevSimulator}. */
export interface DevSimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** SQLite file, or `:memory:`. */
  db: string;
  /** `NAME=URL#MODEL` specs, as `poekit sim --model`. */
  model: readonly string[];
  /** `NAME=BUILTIN` specs, as `poekit sim --alias`. */
  alias: readonly string[];
  /** Where `POEKIT_MODEL_API_KEY` is read. */
  env: Record<string, string | undefined>;
}

/**
 * Starts the simulator for `poekit dev` on 127.0.0.1, with its built-in bots and the `--model` and
 * `--alias` bots. A busy port, a bad spec or clashing names are {@link UserError}s.
 * @example
 * const simulator = await startDevSimulator({ port: 7777, db: ".poekit/simulator.db", model: [], alias: [], env: process.env });
 */
export async function startDevSimulator(options: DevSimulatorOptions): Promise<RunningSimulator> {
  // Loaded here, not at the top, as poekit sim does: other commands start without SQLite.
  const { aliasInProcessBots, builtinInProcessBots, modelInProcessBots, startSimulator } = await import(
    "@poekit/simulator"
  );
  const inProcessBots: InProcessBot[] = [
    ...builtinInProcessBots(),
    ...modelInProcessBots(options.model, options.env),
    ...aliasInProcessBots(options.alias),
  ];
  try {
    return await startSimulator({ port: options.port, host: "127.0.0.1", db: options.db, inProcessBots });
  } catch (error) {
    const message = (error as Error).message;
    const busy = /^Port (\d+) is in use/.exec(message);
    throw new UserError(
      busy
        ? `Port ${busy[1]} is in use, so the simulator cannot listen on it; choose another with --sim-port (0 picks a free one).`
        : message,
      { cause: error },
    );
  }
}

/**
 * Registers the bots served behind `proxyUrl` (again after every reload, which fetches their settings
 * anew) and returns their records, each with any settings failure.
 * @example
 * const records = await registerDevBots(simulator, "http://127.0.0.1:8080", bots);
 */
export async function registerDevBots(
  simulator: RunningSimulator,
  proxyUrl: string,
  bots: readonly ServedBot[],
): Promise<BotRecord[]> {
  const { registry } = simulator.simulator.context;
  const records: BotRecord[] = [];
  for (const bot of bots) {
    try {
      records.push(
        await registry.register({ name: bot.name, url: `${proxyUrl}${bot.path}`, accessKey: bot.accessKey }),
      );
    } catch (error) {
      // A botName the simulator refuses (a built-in's, or not a valid name) is the user's to fix.
      if (error instanceof Error && error.name === "RegistrationError") {
        throw new UserError(error.message, { cause: error });
      }
      throw error;
    }
  }
  simulator.bots = registry.list();
  // An open page learns of new bots and settings now, rather than at its next reload.
  simulator.simulator.context.bus.publish({ type: "bots", bots: simulator.bots });
  return records;
}

/** Tells the simulator's page which bots do not answer with their saved code, and when they do again. */
export interface StaleReporter {
  /** Marks the refusal's bots stale, with its reason. */
  refused(refusal: Refusal): void;
  /** A version serves the saved code: every bot marked stale is not any more. */
  serving(): void;
}

/**
 * Reports refused saves and stopped processes to the simulator (its `staleBots`), whose chat page
 * shows them on the conversations with those bots until a version serves again.
 * @example
 * const stale = createStaleReporter(simulator);
 * stale.refused({ reason: "exited", summary: "the bot's process exited with code 3", details: [], bots: ["bot"], servingSince: null });
 * stale.serving();
 */
export function createStaleReporter(simulator: RunningSimulator): StaleReporter {
  const { staleBots } = simulator.simulator.context;
  // Names marked, so that a version serving other names (a renamed bot) clears the old ones too.
  const marked = new Set<string>();
  return {
    refused: ({ bots, ...report }) => {
      for (const name of bots) {
        staleBots.set(name, report);
        marked.add(name);
      }
    },
    serving: () => {
      for (const name of marked) staleBots.clear(name);
      marked.clear();
    },
  };
}

/**
 * The address of the chat page opened on a conversation with `botName`: the most recent one with it,
 * or a new one, so that starting `poekit dev` again does not pile up empty conversations.
 * @example
 * console.log(await chatUrl(simulator, "EchoBot")); // http://127.0.0.1:7777/#/c/c-…
 */
export async function chatUrl(simulator: RunningSimulator, botName: string): Promise<string> {
  const { store } = simulator.simulator.context;
  let conversation = store.conversations.list().find((each) => each.botName === botName);
  if (!conversation) {
    const response = await simulator.simulator.fetch(
      new Request(`${simulator.url}/api/conversations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ botName }),
      }),
    );
    if (!response.ok) return `${simulator.url}/`;
    conversation = (await response.json()) as ConversationRecord;
  }
  return `${simulator.url}/#/c/${encodeURIComponent(conversation.id)}`;
}
