import {
  BotError,
  DataResponse,
  ErrorResponse,
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

/** Options of {@link AllCapsBot}: those of every bot, plus the bot whose answer is shouted. */
export interface AllCapsBotOptions extends PoeBotOptions {
  /** The Poe bot that writes the answer; default "GPT-4o-Mini". */
  upstream?: string;
}

/**
 * Asks another bot and streams its answer back in capital letters, piece by piece as it arrives: a
 * bot that transforms another bot's stream rather than passing it through. Suggested replies are
 * kept as they are (they are what the user may send, not the answer); the other bot's `meta` and
 * `data` belong to that bot's own message and are dropped.
 */
export class AllCapsBot extends PoeBot {
  readonly upstream: string;

  constructor(options: AllCapsBotOptions = {}) {
    const { upstream = "GPT-4o-Mini", ...botOptions } = options;
    super(botOptions);
    this.upstream = upstream;
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    try {
      for await (const message of streamRequest(request, this.upstream, request.access_key, {
        signal: context.signal,
      })) {
        const shouted = shout(message);
        if (shouted) yield shouted;
      }
    } catch (error) {
      if (!(error instanceof PoeError)) throw error;
      yield new ErrorResponse({
        text: `${this.upstream} could not answer: ${error.message}`,
        allow_retry: error instanceof BotError && error.allowRetry,
      });
    }
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: `ASK ME ANYTHING. ${this.upstream.toUpperCase()} ANSWERS, AND I SHOUT IT.`,
      server_bot_dependencies: { [this.upstream]: 1 },
    };
  }
}

/**
 * The piece of the answer to send on, upper-cased; `undefined` for what is not passed on.
 * @example
 * shout(new PartialResponse({ text: "Hello" }))?.text; // "HELLO"
 */
export function shout(message: PartialResponse | DataResponse): PartialResponse | undefined {
  if (message instanceof DataResponse || message instanceof MetaResponse) return undefined;
  if (message.is_suggested_reply)
    return new PartialResponse({ text: message.text, is_suggested_reply: true });
  // An empty replacement still clears the answer; an empty piece of text says nothing.
  if (message.text === "" && !message.is_replace_response && !message.attachment) return undefined;
  return new PartialResponse({
    text: message.text.toUpperCase(),
    is_replace_response: message.is_replace_response,
    attachment: message.attachment,
  });
}

export default new AllCapsBot();
