export type { OnError } from "./bot-query.js";
export type { BotCostOptions, CostItemInit, CostItemLike, CostOptions, CostRequestTarget } from "./cost.js";
export { authorizeCost, COST_TIMEOUT_MS, CostItem, captureCost } from "./cost.js";
export {
  apiRootUrl,
  botBaseUrl,
  POE_API_ROOT_URL,
  POE_BOT_BASE_URL,
  POE_UPLOAD_BASE_URL,
  uploadBaseUrl,
} from "./endpoints.js";
export type { GetBotResponseOptions } from "./get-bot-response.js";
export { getBotResponse } from "./get-bot-response.js";
export { getFinalResponse } from "./get-final-response.js";
export type { AttachmentUploadResponse, PostMessageAttachmentOptions } from "./post-message-attachment.js";
export type { BotMessage } from "./response-reader.js";
export type { RetryOptions } from "./retry.js";
export type { StreamRequestOptions } from "./stream-request.js";
export { streamRequest } from "./stream-request.js";
export type { SyncBotSettingsOptions, SyncBotSettingsResult } from "./sync-bot-settings.js";
export { SYNC_SETTINGS_TIMEOUT_MS, syncBotSettings } from "./sync-bot-settings.js";
export type { DefinedTool, ToolInput, ToolParameters } from "./tool-definitions.js";
export { defineTool } from "./tool-definitions.js";
export type { ToolExecutable, ToolExecutables } from "./tool-runner.js";
export type { FetchLike } from "./transport.js";
export type { UploadFileInput, UploadFileOptions } from "./upload-file.js";
export { uploadFile } from "./upload-file.js";
