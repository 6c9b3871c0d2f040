import { latestHistory, queryRequestBody } from "@poekit/simulator/exchange";
import { type ContentType, makePromptAuthorRoleAlternated, type ProtocolMessage } from "poekit";
import { buildProtocolMessage, makeIdentifier } from "poekit/protocol";

/** What the history keeps of a bot's finished answer. */
export interface BotReply {
  content: string;
  contentType: ContentType;
  /** The last `data` event's metadata, handed back to the bot with this message. */
  metadata: string | null;
}

/** One turn: the `query` request to send and the bot message it asks the bot to fill. */
export interface Turn {
  body: Record<string, unknown>;
  /** The request's `message_id`: the id the bot's answer will have in the history. */
  messageId: string;
  /** When the bot message was created, in microseconds since the epoch. */
  timestamp: number;
}

/** Options of a {@link ChatSession}. */
export interface ChatSessionOptions {
  /** The bot's handle, for the `sender` of its messages. */
  botName: string;
  /** The `user_id` of every request; default a new `u-` identifier. */
  userId?: string;
  /** The clock, in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

/**
 * The conversation of `poekit chat` with one bot, and the `query` requests it leads to, built the way
 * the simulator builds them for Poe: the whole history of the current context, each message with
 * every field Poe sends, the bot's own `data` handed back as `metadata`.
 * @example
 * const session = new ChatSession({ botName: "EchoBot" });
 * const turn = session.ask("hello");
 * // ...send turn.body, then:
 * session.answered(turn, { content: "hello", contentType: "text/markdown", metadata: null });
 */
export class ChatSession {
  readonly userId: string;
  readonly botName: string;
  /** Merge consecutive messages of one role, as Poe does for bots whose settings ask for it. */
  enforceAuthorRoleAlternation = false;
  #conversationId = makeIdentifier("c");
  #history: ProtocolMessage[] = [];
  readonly #now: () => number;

  constructor(options: ChatSessionOptions) {
    this.botName = options.botName;
    this.userId = options.userId ?? makeIdentifier("u");
    this.#now = options.now ?? Date.now;
  }

  /** The `conversation_id` of the current context; a new one after {@link clear}. */
  get conversationId(): string {
    return this.#conversationId;
  }

  /** The messages the next request carries before the next user message, oldest first. */
  get history(): readonly ProtocolMessage[] {
    return this.#history;
  }

  /**
   * Adds the user's message to the history and builds the request for the bot's answer. The user's
   * message stays even when the answer fails, as on Poe, where a failed answer is simply not sent back.
   */
  ask(text: string): Turn {
    this.#history.push(
      this.#message({
        role: "user",
        sender: { id: this.userId, name: null },
        content: text,
        content_type: "text/markdown",
        metadata: null,
      }),
    );
    const messageId = makeIdentifier("m");
    const timestamp = this.#micros();
    const sent = latestHistory(this.#history);
    const query = this.enforceAuthorRoleAlternation ? makePromptAuthorRoleAlternated(sent) : [...sent];
    const body = queryRequestBody({
      query,
      user_id: this.userId,
      conversation_id: this.#conversationId,
      message_id: messageId,
      query_creation_time: timestamp,
    });
    return { body, messageId, timestamp };
  }

  /** Keeps the bot's finished answer to `turn`, so that the next request carries it. */
  answered(turn: Turn, reply: BotReply): void {
    this.#history.push(
      this.#message({
        role: "bot",
        sender: { id: this.botName, name: this.botName },
        content: reply.content,
        content_type: reply.contentType,
        metadata: reply.metadata,
        message_id: turn.messageId,
        timestamp: turn.timestamp,
      }),
    );
  }

  /** Starts a new context, as Poe's "clear context" does: a new `conversation_id`, no history. */
  clear(): void {
    this.#conversationId = makeIdentifier("c");
    this.#history = [];
  }

  #message(
    fields: Pick<ProtocolMessage, "role" | "sender" | "content" | "content_type" | "metadata"> &
      Partial<Pick<ProtocolMessage, "message_id" | "timestamp">>,
  ): ProtocolMessage {
    return buildProtocolMessage({ message_id: makeIdentifier("m"), timestamp: this.#micros(), ...fields });
  }

  #micros(): number {
    return this.#now() * 1000;
  }
}

/**
 * A name for the bot at `url`, for the `sender` of its messages: the last segment of the path
 * (bots served together are told apart by path), else the host.
 * @example
 * botNameFromUrl(new URL("http://127.0.0.1:8080/echo")); // "echo"
 */
export function botNameFromUrl(url: URL): string {
  const segment = url.pathname.split("/").findLast((part) => part !== "");
  if (segment === undefined) return url.host;
  try {
    return decodeURIComponent(segment);
  } catch {
    // A stray "%" in the path: the segment as written is still a fine name.
    return segment;
  }
}
