import {
  DataResponse,
  InvalidParameterError,
  MetaResponse,
  PartialResponse,
  PoeBot,
  type PoeBotOptions,
  PoeError,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
  streamRequest,
} from "poekit";
import { z } from "zod";

/** Options of {@link CompareBot}: those of every bot, plus the bots to compare. */
export interface CompareBotOptions extends PoeBotOptions {
  /** The Poe bots that answer, in the order they are shown; default GPT-4o-Mini and Claude-3-Haiku. */
  bots?: readonly string[];
}

/** One bot's part of the answer, as it stands. */
export interface Panel {
  bot: string;
  /** Its answer so far. */
  text: string;
  /** Why it could not answer, once it failed; else null. */
  failure: string | null;
  /** Whether its stream has ended (answered or failed). */
  finished: boolean;
}

/** What the bot keeps with each of its messages: every bot's own answer, for the next turns. */
const StoredAnswersSchema = z.object({ answers: z.record(z.string(), z.string()) });

/**
 * Asks several bots the same question at once and shows their answers one after the other, each
 * under its name. Both streams are read in parallel; whenever either brings more text, the whole
 * answer is re-rendered with `replace_response`. Each bot's own answer is kept in the message's
 * metadata (a `data` event), so that in the next turns every bot sees only its own earlier answers.
 */
export class CompareBot extends PoeBot {
  readonly bots: readonly string[];

  constructor(options: CompareBotOptions = {}) {
    const { bots = ["GPT-4o-Mini", "Claude-3-Haiku"], ...botOptions } = options;
    super(botOptions);
    if (bots.length === 0 || new Set(bots).size !== bots.length) {
      throw new InvalidParameterError("CompareBot needs at least one bot to ask, each named once.");
    }
    this.bots = [...bots];
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const panels: Panel[] = this.bots.map((bot) => ({ bot, text: "", failure: null, finished: false }));
    const changes = new Changes();
    // Ends the calls still running when the response ends early (the user left, or a bug below).
    const stop = new AbortController();
    const signal = AbortSignal.any([context.signal, stop.signal]);
    let bug: unknown;

    const calls = panels.map(async (panel) => {
      try {
        const query = queryFor(request, panel.bot);
        for await (const message of streamRequest(query, panel.bot, request.access_key, { signal })) {
          if (!(message instanceof PartialResponse) || message instanceof MetaResponse) continue;
          if (message.is_suggested_reply) continue;
          panel.text = message.is_replace_response ? message.text : panel.text + message.text;
          changes.notify();
        }
      } catch (error) {
        if (error instanceof PoeError) panel.failure = error.message;
        else if (!signal.aborted) bug ??= error;
      } finally {
        panel.finished = true;
        changes.notify();
      }
    });

    try {
      // Both names show at once, before either bot has written anything.
      yield replaceWith(renderPanels(panels));
      do {
        // Every change since the last rendering is shown by the next one: a slow reader gets fewer,
        // larger updates rather than a backlog.
        await changes.next();
        if (bug !== undefined) throw bug;
        yield replaceWith(renderPanels(panels));
      } while (changes.pending || panels.some((panel) => !panel.finished));
      if (bug !== undefined) throw bug;
    } finally {
      stop.abort();
      await Promise.all(calls);
    }

    const answers = Object.fromEntries(
      panels.filter((panel) => panel.failure === null).map((panel) => [panel.bot, panel.text]),
    );
    yield new DataResponse({ metadata: JSON.stringify({ answers }) });
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: `Ask me anything: ${this.bots.join(" and ")} answer it, one after the other.`,
      server_bot_dependencies: Object.fromEntries(this.bots.map((bot) => [bot, 1])),
    };
  }
}

/**
 * The request one bot gets: the conversation, with this bot's earlier messages reduced to that bot's
 * own part when the message's metadata has it, and without metadata (it is this bot's, not theirs).
 * @example
 * queryFor(request, "GPT-4o-Mini").query; // earlier answers: GPT-4o-Mini's part only
 */
export function queryFor(request: QueryRequest, bot: string): QueryRequest {
  return {
    ...request,
    query: request.query.map((message) => {
      if (message.role !== "bot") return message;
      const own = storedAnswers(message.metadata)?.[bot];
      return { ...message, content: own ?? message.content, metadata: null };
    }),
  };
}

/** The answers kept in a message's metadata, or undefined when it holds none (or something else). */
function storedAnswers(metadata: string | null): Record<string, string> | undefined {
  if (!metadata) return undefined;
  try {
    return StoredAnswersSchema.parse(JSON.parse(metadata)).answers;
  } catch {
    return undefined;
  }
}

/**
 * The answer as shown: each bot's name in bold, then its text, sections separated by a rule.
 * @example
 * renderPanels([{ bot: "A", text: "Hi", failure: null, finished: true }]); // "**A**\n\nHi"
 */
export function renderPanels(panels: readonly Panel[]): string {
  return panels
    .map((panel) => {
      const parts = [`**${panel.bot}**`];
      if (panel.text !== "") parts.push(panel.text);
      else if (!panel.finished) parts.push("_…_");
      else if (panel.failure === null) parts.push("_(no answer)_");
      if (panel.failure !== null) parts.push(`_${panel.bot} could not answer: ${panel.failure}_`);
      return parts.join("\n\n");
    })
    .join("\n\n---\n\n");
}

function replaceWith(text: string): PartialResponse {
  return new PartialResponse({ text, is_replace_response: true });
}

/** A flag that the streams raise and the renderer waits for. */
class Changes {
  pending = false;
  #wake: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    this.#wake?.();
    this.#wake = undefined;
  }

  /** Resolves once something has changed since the last call. */
  async next(): Promise<void> {
    if (!this.pending) await new Promise<void>((resolve) => (this.#wake = resolve));
    this.pending = false;
  }
}

export default new CompareBot();
