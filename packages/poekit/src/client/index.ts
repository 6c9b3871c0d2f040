export type {
  BotCostOptions,
  CostItemInit,
  CostItemLike,
  CostOptions,
  CostRequestTarget,
} from "../core/poe-api/cost.js";
export { authorizeCost, CostItem, captureCost } from "../core/poe-api/cost.js";
export type {
  AttachmentUploadResponse,
  PostMessageAttachmentOptions,
} from "../core/poe-api/post-message-attachment.js";
export type { RetryOptions } from "../core/poe-api/retry.js";
export type { SyncBotSettingsOptions, SyncBotSettingsResult } from "../core/poe-api/sync-bot-settings.js";
export { syncBotSettings } from "../core/poe-api/sync-bot-settings.js";
export type { FetchLike } from "../core/poe-api/transport.js";
export type { UploadFileInput, UploadFileOptions } from "../core/poe-api/upload-file.js";
export { uploadFile } from "../core/poe-api/upload-file.js";
export type { OnError } from "./bot-query.js";
export type { GetBotResponseOptions } from "./get-bot-response.js";
export { getBotResponse } from "./get-bot-response.js";
export { getFinalResponse } from "./get-final-response.js";
export type { BotMessage } from "./response-reader.js";
export type { StreamRequestOptions } from "./stream-request.js";
export { streamRequest } from "./stream-request.js";
export { ToolCallAccumulator } from "./tool-calls.js";
export type { DefinedTool, ToolInput, ToolParameters } from "./tool-definitions.js";
export { defineTool } from "./tool-definitions.js";
export type { ToolExecutable, ToolExecutables } from "./tool-runner.js";
