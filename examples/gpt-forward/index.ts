import {
  BotError,
  ErrorResponse,
  PoeBot,
  type PoeBotOptions,
  PoeError,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
  streamRequest,
} from "poekit";

/** Options of {@link GptForwardBot}: those of every bot, plus the bot to forward to. */
export interface GptForwardBotOptions extends PoeBotOptions {
  /** The Poe bot that answers; default "GPT-4o-Mini". */
  upstream?: string;
}

/**
 * Passes the whole conversation to another Poe bot and streams its answer back unchanged: text,
 * suggested replies, replacements and files. Poe bills the call to the user, so the bot needs its
 * access key and must declare the other bot in `server_bot_dependencies`.
 */
export class GptForwardBot extends PoeBot {
  readonly upstream: string;

  constructor(options: GptForwardBotOptions = {}) {
    const { upstream = "GPT-4o-Mini", ...botOptions } = options;
    super(botOptions);
    this.upstream = upstream;
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    try {
      // The signal ends the upstream call as soon as the user goes away.
      for await (const message of streamRequest(request, this.upstream, request.access_key, {
        signal: context.signal,
      })) {
        yield message;
      }
    } catch (error) {
      // What the call raises on purpose (an error event, an HTTP error, a broken stream, a missing key)
      // is shown to the user; a bug of our own still ends as the generic error.
      if (!(error instanceof PoeError)) throw error;
      yield new ErrorResponse({
        text: `${this.upstream} could not answer: ${error.message}`,
        allow_retry: error instanceof BotError && error.allowRetry,
      });
    }
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: `Hi! Every message you send here is answered by ${this.upstream}.`,
      server_bot_dependencies: { [this.upstream]: 1 },
    };
  }
}

export default new GptForwardBot();
