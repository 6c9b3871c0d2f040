import type { Attachment } from "../protocol/attachment.js";
import type { ErrorType } from "../protocol/error-type.js";
import type { ContentType } from "../protocol/protocol-message.js";
import type { TextEventData } from "../protocol/response-events.js";
import type { ToolCallDefinitionDelta } from "../protocol/tools.js";

/**
 * What a bot yields from `getResponse`. Field names keep Poe's snake_case, as on the wire, so that
 * fastapi_poe code translates line by line.
 */

/** Fields of a {@link PartialResponse}; only `text` is required. */
export interface PartialResponseInit {
  /** Text to append to the answer (or to replace it, or a suggested reply). */
  text: string;
  /** Data of a `json` event, when received from another bot. */
  data?: Record<string, unknown> | null;
  /** The raw event this response was read from (client side). */
  raw_response?: unknown;
  /** The prompt as sent, for debugging (client side). */
  full_prompt?: string | null;
  request_id?: string | null;
  /** Send as a `suggested_reply` event: a button under the answer. */
  is_suggested_reply?: boolean;
  /** Send as a `replace_response` event: the answer so far is discarded. */
  is_replace_response?: boolean;
  /** A file already hosted somewhere, sent as a `file` event just before this response's text. */
  attachment?: Attachment | null;
  /** Pieces of tool calls from a model (client side). */
  tool_calls?: ToolCallDefinitionDelta[];
  /** Which of several parallel responses this belongs to (client side). */
  index?: number | null;
}

const PARTIAL_KEYS: ReadonlySet<string> = new Set([
  "text",
  "data",
  "raw_response",
  "full_prompt",
  "request_id",
  "is_suggested_reply",
  "is_replace_response",
  "attachment",
  "tool_calls",
  "index",
]);

// A misspelt option (`isReplaceResponse`) would otherwise silently send plain text.
function rejectUnknownKeys(init: object, allowed: ReadonlySet<string>, className: string): void {
  // for-in rather than Object.keys: no array per response object (the client makes one per event).
  for (const key in init) {
    if (!Object.hasOwn(init, key)) continue;
    if (!allowed.has(key)) {
      throw new TypeError(`${className} has no field "${key}". Known fields: ${[...allowed].join(", ")}.`);
    }
  }
}

/**
 * A piece of the bot's answer: appended text by default, or a replacement, or a suggested reply.
 * @example
 * yield new PartialResponse({ text: "Hello" });
 * yield new PartialResponse({ text: "Tell me more", is_suggested_reply: true });
 */
export class PartialResponse {
  text: string;
  data: Record<string, unknown> | null;
  raw_response: unknown;
  full_prompt: string | null;
  request_id: string | null;
  is_suggested_reply: boolean;
  is_replace_response: boolean;
  attachment: Attachment | null;
  tool_calls: ToolCallDefinitionDelta[];
  index: number | null;

  constructor(init: PartialResponseInit) {
    if (new.target === PartialResponse) rejectUnknownKeys(init, PARTIAL_KEYS, "PartialResponse");
    this.text = init.text;
    this.data = init.data ?? null;
    this.raw_response = init.raw_response;
    this.full_prompt = init.full_prompt ?? null;
    this.request_id = init.request_id ?? null;
    this.is_suggested_reply = init.is_suggested_reply ?? false;
    this.is_replace_response = init.is_replace_response ?? false;
    this.attachment = init.attachment ?? null;
    this.tool_calls = init.tool_calls ?? [];
    this.index = init.index ?? null;
  }
}

/**
 * A text event's PartialResponse, made without the constructor: its check of the init object for
 * misspelt keys (a user's mistake) cost as much as the rest of the message, and the client's reader
 * cannot misspell. The fields and their order are the constructor's; a test holds the two together.
 */
export function textResponse(data: TextEventData, replace: boolean, suggested: boolean): PartialResponse {
  const response: PartialResponse = Object.create(PartialResponse.prototype);
  response.text = data.text;
  response.data = null;
  response.raw_response = data;
  response.full_prompt = null;
  response.request_id = null;
  response.is_suggested_reply = suggested;
  response.is_replace_response = replace;
  response.attachment = null;
  response.tool_calls = [];
  response.index = data.index ?? null;
  return response;
}

/** Fields of an {@link ErrorResponse}. */
export interface ErrorResponseInit extends Partial<PartialResponseInit> {
  /** Whether Poe may retry the query; defaults to true. */
  allow_retry?: boolean;
  /** A category Poe understands, such as `"user_message_too_long"`. */
  error_type?: ErrorType | null;
}

const ERROR_KEYS: ReadonlySet<string> = new Set([...PARTIAL_KEYS, "allow_retry", "error_type"]);

/**
 * An error shown to the user; Poe ends the response. `text` is what the user reads.
 * @example
 * yield new ErrorResponse({ text: "That file is too large.", allow_retry: false });
 */
export class ErrorResponse extends PartialResponse {
  allow_retry: boolean;
  error_type: ErrorType | null;

  constructor(init: ErrorResponseInit = {}) {
    rejectUnknownKeys(init, ERROR_KEYS, "ErrorResponse");
    super({ ...init, text: init.text ?? "" });
    this.allow_retry = init.allow_retry ?? true;
    this.error_type = init.error_type ?? null;
  }
}

/** Fields of a {@link MetaResponse}. */
export interface MetaResponseInit extends Partial<PartialResponseInit> {
  /** `"text/markdown"` (default) or `"text/plain"`. */
  content_type?: ContentType;
  /** Whether Poe adds its own suggested replies; defaults to true as in fastapi_poe. */
  suggested_replies?: boolean;
  /** @deprecated Poe ignores it. */
  linkify?: boolean;
  /** @deprecated Poe may rate-limit refetches; sync settings instead. */
  refetch_settings?: boolean;
}

const META_KEYS: ReadonlySet<string> = new Set([
  ...PARTIAL_KEYS,
  "content_type",
  "suggested_replies",
  "linkify",
  "refetch_settings",
]);

/**
 * How Poe should display the answer. Yield it first; a later one is ignored by Poe.
 * @example
 * yield new MetaResponse({ content_type: "text/plain", suggested_replies: false });
 */
export class MetaResponse extends PartialResponse {
  content_type: ContentType;
  suggested_replies: boolean;
  linkify: boolean;
  refetch_settings: boolean;

  constructor(init: MetaResponseInit = {}) {
    rejectUnknownKeys(init, META_KEYS, "MetaResponse");
    super({ ...init, text: init.text ?? "" });
    this.content_type = init.content_type ?? "text/markdown";
    this.suggested_replies = init.suggested_replies ?? true;
    this.linkify = init.linkify ?? true;
    this.refetch_settings = init.refetch_settings ?? false;
  }
}

/** Fields of a {@link DataResponse}. */
export interface DataResponseInit {
  /** Stored with the bot message; comes back as `ProtocolMessage.metadata` in later queries. */
  metadata: string;
}

/**
 * Hidden data kept with the bot's message. Only the last one of a response is kept by Poe.
 * @example
 * yield new DataResponse({ metadata: JSON.stringify({ toolMessages }) });
 */
export class DataResponse {
  metadata: string;

  constructor(init: DataResponseInit) {
    rejectUnknownKeys(init, DATA_KEYS, "DataResponse");
    this.metadata = init.metadata;
  }
}
const DATA_KEYS: ReadonlySet<string> = new Set(["metadata"]);

/**
 * An event written as given: `event: <event>` and `data: <JSON of data>`.
 * @example
 * yield { event: "json", data: { choices: [] } } satisfies RawEvent;
 */
export interface RawEvent {
  event: string;
  data: unknown;
}

/** Anything `getResponse` may yield. A plain string is a `text` event. */
export type BotResponseItem = string | PartialResponse | DataResponse | RawEvent;
