import { consoleLogger } from "../core/logger.js";
import {
  type BotCostOptions,
  type CostItemLike,
  authorizeCost as requestAuthorization,
  captureCost as requestCapture,
} from "../core/poe-api/cost.js";
import {
  type AttachmentUploadResponse,
  type PostMessageAttachmentOptions,
  postMessageAttachment,
} from "../core/poe-api/post-message-attachment.js";
import type { BotResponseItem } from "../core/responses.js";
import type { ProtocolMessage } from "../protocol/protocol-message.js";
import type { QueryRequest } from "../protocol/query-request.js";
import type { ReportErrorRequest } from "../protocol/report-error-request.js";
import type { ReportFeedbackRequest } from "../protocol/report-feedback-request.js";
import type { ReportReactionRequest } from "../protocol/report-reaction-request.js";
import type { SettingsRequest } from "../protocol/settings-request.js";
import type { SettingsResponse } from "../protocol/settings-response.js";
import { concatAttachmentContentToMessageBody, insertAttachmentMessages } from "./attachment-messages.js";
import { POE_BOT_BRAND } from "./bot-brand.js";
import { messageFilesOf } from "./message-files.js";
import {
  dataEvent,
  doneEvent,
  errorEvent,
  fileEvent,
  metaEvent,
  replaceResponseEvent,
  suggestedReplyEvent,
  textEvent,
} from "./raw-events.js";
import type { RequestContext } from "./request-context.js";
import { requestLoggerOf } from "./request-loggers.js";
import { makePromptAuthorRoleAlternated } from "./role-alternation.js";

/** Options of a {@link PoeBot}; all optional. */
export interface PoeBotOptions {
  /** The URL path the bot is served on; default `/`. Several bots on one server need distinct paths. */
  path?: string;
  /** The bot's 32-character access key from its settings page on Poe. */
  accessKey?: string | null;
  /** The bot's name on Poe (for settings sync and log lines). */
  botName?: string | null;
  /** Turn parsed attachments of the last message into extra user messages first; default true. */
  shouldInsertAttachmentMessages?: boolean;
  /** @deprecated Append parsed attachments to the last message instead; used only when insertion is off. */
  concatAttachmentsToMessage?: boolean;
}

/**
 * A Poe server bot. Extend it and override `getResponse` (an async generator) and, when needed,
 * `getSettings`, `onFeedback`, `onReaction` and `onError`. Serve it with `makeApp` or `run`.
 * @example
 * class EchoBot extends PoeBot {
 *   async *getResponse(request: QueryRequest) {
 *     yield request.query.at(-1)?.content ?? "";
 *   }
 * }
 * export default new EchoBot();
 */
export class PoeBot {
  path: string;
  accessKey: string | null;
  botName: string | null;
  shouldInsertAttachmentMessages: boolean;
  /** @deprecated */
  concatAttachmentsToMessage: boolean;

  static {
    // On the prototype, so that it costs instances nothing and marks subclasses too (see bot-brand.ts).
    Object.defineProperty(PoeBot.prototype, POE_BOT_BRAND, { value: true });
  }

  constructor(options: PoeBotOptions = {}) {
    this.path = options.path ?? "/";
    this.accessKey = options.accessKey ?? null;
    this.botName = options.botName ?? null;
    this.shouldInsertAttachmentMessages = options.shouldInsertAttachmentMessages ?? true;
    this.concatAttachmentsToMessage = options.concatAttachmentsToMessage ?? false;
  }

  /**
   * The bot's answer to a query, as an async iterable of pieces: strings, `PartialResponse`,
   * `MetaResponse`, `ErrorResponse`, `DataResponse` or raw `{ event, data }` objects.
   * The default answers "hello".
   */
  getResponse(_request: QueryRequest): AsyncIterable<BotResponseItem> {
    return (async function* () {
      yield textEvent("hello");
    })();
  }

  /** Like `getResponse`, with the HTTP request and an abort signal. The default calls `getResponse`. */
  getResponseWithContext(request: QueryRequest, _context: RequestContext): AsyncIterable<BotResponseItem> {
    return this.getResponse(request);
  }

  /** The bot's settings; the default sets nothing (Poe's defaults apply). */
  async getSettings(_request: SettingsRequest): Promise<SettingsResponse> {
    return {};
  }

  /** Like `getSettings`, with context. The default calls `getSettings`. */
  getSettingsWithContext(request: SettingsRequest, _context: RequestContext): Promise<SettingsResponse> {
    return this.getSettings(request);
  }

  /** A user liked or disliked a message. The default does nothing. */
  async onFeedback(_request: ReportFeedbackRequest): Promise<void> {}

  /** Like `onFeedback`, with context. The default calls `onFeedback`. */
  onFeedbackWithContext(request: ReportFeedbackRequest, _context: RequestContext): Promise<void> {
    return this.onFeedback(request);
  }

  /** A user reacted to a message. The default does nothing. */
  async onReaction(_request: ReportReactionRequest): Promise<void> {}

  /** Like `onReaction`, with context. The default calls `onReaction`. */
  onReactionWithContext(request: ReportReactionRequest, _context: RequestContext): Promise<void> {
    return this.onReaction(request);
  }

  /** Poe reports that a response broke the protocol. The default logs it, with the app's logger. */
  async onError(request: ReportErrorRequest): Promise<void> {
    (requestLoggerOf(request) ?? consoleLogger).warn(
      `Poe reported an error in a response: ${request.message} ${JSON.stringify(request.metadata)}`,
    );
  }

  /** Like `onError`, with context. The default calls `onError`. */
  onErrorWithContext(request: ReportErrorRequest, _context: RequestContext): Promise<void> {
    return this.onError(request);
  }

  /**
   * Asks Poe to reserve `amounts` (in thousandths of a US cent) from the user's balance for this query,
   * using the bot's access key. Call it with an estimate before expensive work. Throws
   * `InsufficientFundError` when the user cannot pay; let it escape `getResponse` and Poe shows the
   * user its own message. Needs the bot to be enrolled in Poe's creator monetization.
   * @example
   * async *getResponse(request: QueryRequest) {
   *   await this.authorizeCost(request, { amount_usd_milli_cents: 5000, description: "Image" });
   *   const image = await generateImage(request);
   *   await this.captureCost(request, { amount_usd_milli_cents: image.costMilliCents });
   *   yield image.markdown;
   * }
   */
  authorizeCost(
    request: QueryRequest,
    amounts: CostItemLike | readonly CostItemLike[],
    options: BotCostOptions = {},
  ): Promise<void> {
    return requestAuthorization(request, amounts, { ...options, accessKey: this.accessKey });
  }

  /**
   * Charges `amounts` to the user for this query, using the bot's access key: the actual cost, once the
   * work is done. Fails as {@link PoeBot.authorizeCost} does.
   * @example
   * async *getResponse(request: QueryRequest) {
   *   await this.authorizeCost(request, { amount_usd_milli_cents: 3000 }); // the estimate
   *   const answer = await expensiveModel(request);
   *   await this.captureCost(request, { amount_usd_milli_cents: answer.tokens * 0.2, description: "Tokens" });
   *   yield answer.text;
   * }
   */
  captureCost(
    request: QueryRequest,
    amounts: CostItemLike | readonly CostItemLike[],
    options: BotCostOptions = {},
  ): Promise<void> {
    return requestCapture(request, amounts, { ...options, accessKey: this.accessKey });
  }

  /** See {@link insertAttachmentMessages}. */
  insertAttachmentMessages(request: QueryRequest): QueryRequest {
    return insertAttachmentMessages(request);
  }

  /** @deprecated Use `insertAttachmentMessages`. See {@link concatAttachmentContentToMessageBody}. */
  concatAttachmentContentToMessageBody(request: QueryRequest): QueryRequest {
    return concatAttachmentContentToMessageBody(request);
  }

  /** See {@link makePromptAuthorRoleAlternated}. */
  makePromptAuthorRoleAlternated(messages: readonly ProtocolMessage[]): ProtocolMessage[] {
    return makePromptAuthorRoleAlternated(messages);
  }

  /**
   * Uploads a file to Poe and attaches it to the response to `messageId`: its `file` event is written
   * before the bot's next item, or at the end. Up to 20 files per message, each at most 50 MB; the key
   * is the bot's `accessKey` unless `accessKey` is given. Call it while answering that message: a file
   * still uploading when the response ends is not attached.
   * @example
   * class ReportBot extends PoeBot {
   *   override async *getResponse(request: QueryRequest) {
   *     const bytes = new TextEncoder().encode("hello");
   *     await this.postMessageAttachment({ messageId: request.message_id, fileData: bytes, filename: "a.txt" });
   *     yield "Your file is attached.";
   *   }
   * }
   */
  postMessageAttachment(options: PostMessageAttachmentOptions): Promise<AttachmentUploadResponse> {
    const files = messageFilesOf(this);
    return postMessageAttachment(
      {
        accessKey: this.accessKey,
        queueFileEvent: (messageId, file) => files.queue(messageId, file),
        postedFiles: files.posted,
      },
      options,
    );
  }

  /** Builders of raw events, as in fastapi_poe (`PoeBot.textEvent("hi")`). */
  static textEvent = textEvent;
  static replaceResponseEvent = replaceResponseEvent;
  static suggestedReplyEvent = suggestedReplyEvent;
  static dataEvent = dataEvent;
  static fileEvent = fileEvent;
  static metaEvent = metaEvent;
  static errorEvent = errorEvent;
  static doneEvent = doneEvent;
}
