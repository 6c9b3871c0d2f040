/**
 * The simulator's records, as stored in SQLite and as the chat page receives them over `/api`.
 * Type-only: the page imports this file for its types, so nothing here may touch Node.
 */
import type { Attachment, ParameterControls } from "poekit";

/** Where a bot lives: a server the user registered by URL, or one the simulator runs itself. */
export type BotKind = "url" | "builtin" | "model";

/** A bot the simulator can talk to. */
export interface BotRecord {
  /** The handle: what `/bot/<name>` and `@name` mentions use. */
  name: string;
  kind: BotKind;
  /** The bot server's URL (`kind: "url"`), or a description of what runs it. */
  url: string;
  /** Whether an access key is configured (the key itself never leaves the server). */
  hasAccessKey: boolean;
  /**
   * The key sent to a bot given none (Poe always sends one), or null when it has its own. Shown, unlike
   * a configured key: a bot without a key accepts any.
   */
  generatedAccessKey: string | null;
  /** The settings last fetched from the bot or pushed with `update_settings`, as JSON. */
  settings: BotSettings;
  /** When settings were last fetched or pushed (ms since epoch), or null if never. */
  settingsUpdatedAt: number | null;
  /** Why the last settings fetch failed, or null. The previous settings stay in force, as on Poe. */
  settingsError: string | null;
}

/**
 * Settings as the simulator applies them: each field is Poe's default when the bot left it out
 * (`response_version` 2 defaults), so the page and the query builder never deal with `undefined`.
 */
export interface BotSettings {
  introductionMessage: string | null;
  allowAttachments: boolean;
  expandTextAttachments: boolean;
  enableImageComprehension: boolean;
  enforceAuthorRoleAlternation: boolean;
  enableMultiEntityPrompting: boolean;
  serverBotDependencies: Record<string, number>;
  parameterControls: ParameterControls | null;
  rateCard: string | null;
  costLabel: string | null;
  /** The JSON exactly as the bot sent it, for the inspector. */
  raw: Record<string, unknown>;
}

/** One chat: a list of messages with one or more bots. */
export interface ConversationRecord {
  id: string;
  title: string;
  /** The bot a message goes to when it mentions none. */
  botName: string;
  /** The `conversation_id` sent to bots; "clear context" replaces it. */
  contextId: string;
  userId: string;
  createdAt: number;
  updatedAt: number;
}

export type MessageStatus = "pending" | "streaming" | "complete" | "error";

/** A file shown in a message: one the user attached or one the bot sent with a `file` event. */
export interface MessageFile {
  /** The simulator's own id for a file stored here (user attachments, uploads); null for outside URLs. */
  fileId: string | null;
  url: string;
  name: string;
  contentType: string;
  inlineRef: string | null;
  /** What the simulator put in `parsed_content` for the bot, if anything. */
  parsedContent?: string | null;
}

/** A like or dislike the user gave a bot message. */
export interface FeedbackRecord {
  type: "like" | "dislike";
  reason: string | null;
}

/** An `error` event the bot sent, as the page shows it. */
export interface MessageError {
  text: string;
  allowRetry: boolean;
  errorType: string | null;
  rawResponse: string | null;
}

/** A message in a conversation. `role: "system"` marks a context-clear divider. */
export interface MessageRecord {
  id: string;
  conversationId: string;
  /** The `conversation_id` that was current when the message was written. */
  contextId: string;
  role: "user" | "bot" | "system";
  /** The bot that wrote a bot message; null for the user. */
  botName: string | null;
  content: string;
  contentType: "text/markdown" | "text/plain";
  status: MessageStatus;
  attachments: MessageFile[];
  /** Values of the bot's parameter controls chosen for this user message. */
  parameters: Record<string, unknown>;
  suggestedReplies: string[];
  /** The last `data` event's metadata, sent back to the bot in later queries. */
  metadata: string | null;
  error: MessageError | null;
  feedback: FeedbackRecord[];
  reactions: string[];
  /** The user message a bot message answers. */
  replyTo: string | null;
  createdAt: number;
}

/** Which rule of the protocol a response broke. */
export type ViolationRule =
  | "http-status"
  | "content-type"
  | "first-byte-timeout"
  | "total-timeout"
  | "meta-not-first"
  | "invalid-json"
  | "invalid-event-data"
  | "unknown-event"
  | "no-text-or-error"
  | "missing-done"
  | "event-after-done"
  | "too-many-characters"
  | "too-many-events"
  | "event-too-large"
  | "connection-failed"
  // The caller's fault, not the called bot's: a bot query API call with a key Poe would refuse.
  | "bot-query-key";

/** One protocol violation, as highlighted in the inspector and reported to the bot. */
export interface Violation {
  rule: ViolationRule;
  message: string;
  /** Milliseconds after the request was sent. */
  atMs: number;
  /** The event's sequence number, when one event is to blame. */
  seq: number | null;
}

/** Who sent a request to a bot: the chat page (Poe) or another bot through the bot query API. */
export type ExchangeCaller = { kind: "simulator" } | { kind: "bot"; botName: string | null };

/** One request sent to a bot and what came back: what the inspector shows. */
export interface ExchangeRecord {
  id: string;
  /** The bot message whose answer caused this request (nested calls share it). */
  messageId: string | null;
  /** The exchange whose bot made this call through the bot query API, for nesting. */
  parentId: string | null;
  caller: ExchangeCaller;
  botName: string;
  /** The request body as sent (JSON). */
  request: unknown;
  status: "running" | "complete" | "failed";
  httpStatus: number | null;
  contentType: string | null;
  startedAt: number;
  timings: ExchangeTimings;
  violations: Violation[];
  eventCount: number;
  textLength: number;
}

/** Milliseconds after the request was sent; null until it happened. */
export interface ExchangeTimings {
  firstByteMs: number | null;
  firstTextMs: number | null;
  doneMs: number | null;
}

/** One raw SSE event as it arrived (comments included), for the inspector. */
export interface RawEventRecord {
  exchangeId: string;
  seq: number;
  atMs: number;
  /** The event name, or `":"` for a comment line. */
  event: string;
  data: string;
  /** Set when this event broke a rule. */
  violation: ViolationRule | null;
}

/**
 * Why what answers for a bot is not the code last saved: a save that did not type-check or did not
 * load (the previous version, if any, answers), or the bot's process that stopped.
 */
export type StaleReason = "type-errors" | "load-failed" | "exited";

/**
 * A bot whose answers do not come from its saved code, as `poekit dev` reports it. Kept in memory
 * only, until a save that loads replaces it; a plain `poekit sim` never has one.
 */
export interface StaleBot {
  botName: string;
  reason: StaleReason;
  /** One line: `2 type errors in index.ts`, or the loader's message. */
  summary: string;
  /** The first diagnostics, or the further lines of the error; plain text, possibly multi-line. */
  details: string[];
  /** When the version still answering started to (ms since epoch); null when none answers. */
  servingSince: number | null;
  /** When it was reported (ms since epoch). */
  at: number;
}

/** The state the page loads at start. */
export interface SimulatorState {
  version: string;
  bots: BotRecord[];
  /** The bots `poekit dev` reports stale. */
  staleBots: StaleBot[];
  conversations: ConversationRecord[];
  balance: number;
  fileTtlSeconds: number;
}

/** What `/api/events` pushes to the page, one SSE event per item (event name = `type`). */
export type BusEvent =
  | { type: "bots"; bots: BotRecord[] }
  | { type: "stale-bot"; botName: string; stale: StaleBot | null }
  | { type: "conversation"; conversation: ConversationRecord }
  | { type: "conversation-deleted"; conversationId: string }
  | { type: "message"; message: MessageRecord }
  | { type: "exchange"; exchange: ExchangeRecord }
  | { type: "raw-event"; event: RawEventRecord }
  | { type: "balance"; balance: number };

/** A user attachment as the page uploads it. */
export interface UploadedFile {
  id: string;
  url: string;
  name: string;
  contentType: string;
  size: number;
}

export type { Attachment };
