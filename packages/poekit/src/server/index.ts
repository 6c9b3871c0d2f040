export { jsonLogger } from "../core/json-logger.js";
export type { LogFields } from "../core/log-fields.js";
export type { LogLevel } from "../core/log-level.js";
export type { Logger } from "../core/logger.js";
export { consoleLogger, silentLogger } from "../core/logger.js";
export type {
  BotResponseItem,
  DataResponseInit,
  ErrorResponseInit,
  MetaResponseInit,
  PartialResponseInit,
  RawEvent,
} from "../core/responses.js";
export { DataResponse, ErrorResponse, MetaResponse, PartialResponse } from "../core/responses.js";
export type { RequestOutcome, RequestRecord } from "./access-record.js";
export { concatAttachmentContentToMessageBody, insertAttachmentMessages } from "./attachment-messages.js";
export type {
  AttachmentTemplateName,
  ImageAttachmentValues,
  TextAttachmentValues,
  UrlAttachmentValues,
} from "./attachment-templates.js";
export {
  ATTACHMENT_TEMPLATES,
  imageAttachmentPrompt,
  textAttachmentPrompt,
  urlAttachmentPrompt,
} from "./attachment-templates.js";
export type { KeyOptions } from "./configure-bots.js";
export type { ResponseLimits } from "./limits-monitor.js";
export type { MakeAppOptions } from "./make-app.js";
export { makeApp } from "./make-app.js";
export type { PoeApp } from "./poe-app.js";
export type { PoeBotOptions } from "./poe-bot.js";
export { PoeBot } from "./poe-bot.js";
export {
  dataEvent,
  doneEvent,
  errorEvent,
  fileEvent,
  metaEvent,
  replaceResponseEvent,
  suggestedReplyEvent,
  textEvent,
} from "./raw-events.js";
export type { RequestContext } from "./request-context.js";
export { RequestMetrics } from "./request-metrics.js";
export { makePromptAuthorRoleAlternated } from "./role-alternation.js";
