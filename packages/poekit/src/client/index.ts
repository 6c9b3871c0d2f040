export type { OnError } from "./bot-query.js";
export {
  apiRootUrl,
  BASE_URL_ENV,
  botBaseUrl,
  POE_API_ROOT_URL,
  POE_BOT_BASE_URL,
  POE_UPLOAD_BASE_URL,
  uploadBaseUrl,
} from "./endpoints.js";
export type { GetBotResponseOptions } from "./get-bot-response.js";
export { getBotResponse } from "./get-bot-response.js";
export { getFinalResponse } from "./get-final-response.js";
export type { BotMessage } from "./response-reader.js";
export type { RetryOptions } from "./retry.js";
export type { StreamRequestOptions } from "./stream-request.js";
export { streamRequest } from "./stream-request.js";
export type { ToolInput, ToolParameters } from "./tool-definitions.js";
export type { ToolExecutable, ToolExecutables } from "./tool-runner.js";
export type { FetchLike } from "./transport.js";
