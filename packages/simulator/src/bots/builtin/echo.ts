import {
  type BotResponseItem,
  MetaResponse,
  PartialResponse,
  PoeBot,
  type PoeBotOptions,
  type QueryRequest,
  type SettingsResponse,
} from "poekit";

/**
 * The simplest built-in bot: answers with the user's last message exactly as it was written, after a
 * `meta` event declaring Markdown. It accepts attachments, so file uploads can be tried in the
 * simulator; the reply is still the message text alone.
 * @example
 * const response = await createTestClient(new EchoBot()).query("Hello");
 * response.text; // "Hello"
 */
export class EchoBot extends PoeBot {
  /** What the simulator's bot list says about it. */
  readonly description = "built-in: repeats your last message";

  /** Served on `/Echo` under the name `Echo` unless the options say otherwise. */
  constructor(options: PoeBotOptions = {}) {
    super({ ...options, path: options.path ?? "/Echo", botName: options.botName ?? "Echo" });
  }

  override async *getResponse(request: QueryRequest): AsyncGenerator<BotResponseItem, void, undefined> {
    yield new MetaResponse({ content_type: "text/markdown", suggested_replies: false });
    // The last *user* message: attachment messages the server inserts go before it, never after.
    const last = request.query.findLast((message) => message.role === "user");
    yield new PartialResponse({ text: last?.content ?? "" });
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: "I am Echo: I answer with your message, exactly as you wrote it.",
      allow_attachments: true,
    };
  }
}
