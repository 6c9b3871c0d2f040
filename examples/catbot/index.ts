import {
  consoleLogger,
  ErrorResponse,
  type Logger,
  MetaResponse,
  PartialResponse,
  PoeBot,
  type PoeBotOptions,
  type QueryRequest,
  type ReportFeedbackRequest,
  type RequestContext,
  type SettingsResponse,
} from "poekit";

/**
 * Waits `ms` milliseconds, or less when `signal` aborts (the user left, so there is no one to wait for).
 * @example
 * await sleep(1000, context.signal);
 */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * The default {@link Sleep}: a plain timer, cleared when the signal aborts.
 * @example
 * await timerSleep(1000, new AbortController().signal); // one second later
 */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

/** How long the cat pauses between steps of "stranger" and "count". */
export const STEP_MS = 1000;

/** Streamed before anything else when the message mentions "markdown": what Poe can render. */
export const MARKDOWN_SHOWCASE: readonly string[] = [
  "# Cats, in Markdown\n\n",
  "Cats are **very** cute, and **bold** about it.\n\n",
  "- naps: many\n- snacks: [ask Poe](https://poe.com)\n- dignity: intact\n\n",
  "| animal | cuteness |\n| --- | --- |\n| cat | 10 |\n| dog | 9 |\n\n",
];

/** Options of {@link CatBot}: those of every bot, plus what tests replace. */
export interface CatBotOptions extends PoeBotOptions {
  /** How the cat waits between steps; default {@link timerSleep}. */
  sleep?: Sleep;
  /** Where feedback is logged; default the console. */
  logger?: Logger;
}

/**
 * A tour of the protocol's response events, one command per feature. Each command is a word found
 * anywhere in the last message, in any case; the first that matches wins, in the order of the chain
 * in `answer`. See README.md for the list.
 * @example
 * // A cat that never pauses, for tests:
 * const cat = new CatBot({ sleep: async () => {} });
 */
export class CatBot extends PoeBot {
  readonly sleep: Sleep;
  readonly logger: Logger;

  constructor(options: CatBotOptions = {}) {
    const { sleep = timerSleep, logger = consoleLogger, ...botOptions } = options;
    super(botOptions);
    this.sleep = sleep;
    this.logger = logger;
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const message = (request.query.at(-1)?.content ?? "").toLowerCase();
    yield new MetaResponse({
      content_type: message.includes("plain") ? "text/plain" : "text/markdown",
      suggested_replies: !message.includes("dog"),
    });
    if (message.includes("markdown")) yield* MARKDOWN_SHOWCASE;
    yield* this.answer(message, context.signal);
  }

  private async *answer(message: string, signal: AbortSignal) {
    const has = (word: string) => message.includes(word);
    if (has("cardboard")) {
      yield "crunch ";
      yield "crunch";
    } else if (has("kitchen") || has("meal") || has("food")) {
      yield "meow ";
      yield "meow";
      yield new PartialResponse({ text: "feed the cat", is_suggested_reply: true });
    } else if (has("stranger")) {
      for (let peek = 1; peek <= 10; peek++) {
        // Each step goes out before the pause, so the first byte never waits.
        yield "peek ";
        if (peek < 10) await this.sleep(STEP_MS, signal);
        if (signal.aborted) return;
      }
    } else if (has("square")) {
      yield new ErrorResponse({ text: "Square snacks are not tasty." });
    } else if (has("cube")) {
      yield new ErrorResponse({ text: "Cube snacks are even less tasty.", allow_retry: false });
    } else if (has("count")) {
      const quickly = has("quickly");
      for (let count = 1; count <= 10; count++) {
        yield new PartialResponse({ text: String(count), is_replace_response: true });
        if (count < 10 && !quickly) await this.sleep(STEP_MS, signal);
        if (signal.aborted) return;
      }
    } else {
      yield "zzz";
    }
  }

  override async onFeedback(request: ReportFeedbackRequest): Promise<void> {
    this.logger.info(
      `Feedback "${request.feedback_type}" on message ${request.message_id} ` +
        `from user ${request.user_id} in conversation ${request.conversation_id}`,
    );
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      allow_attachments: true,
      introduction_message:
        "Meow. Say cardboard, food, stranger, square, cube or count (quickly), " +
        "add markdown, plain or dog, or anything else to let me sleep.",
    };
  }
}

export default new CatBot();
