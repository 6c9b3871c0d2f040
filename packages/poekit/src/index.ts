/**
 * poekit: build Poe server bots in TypeScript.
 * Runtime-specific code lives behind subpaths: `poekit/node` (run, toNodeHandler); test helpers in `poekit/testing`.
 */

// Calling other bots and Poe's APIs
export * from "./client/index.js";
// Errors
export {
  AttachmentUploadError,
  BotError,
  type BotErrorDetails,
  BotErrorNoRetry,
  CostRequestError,
  HTTPError,
  InsufficientFundError,
  InvalidParameterError,
  PoeApiCallError,
  PoeConfigError,
  PoeError,
  ProtocolError,
  ToolCallError,
} from "./errors.js";
// Wire types, schemas, ids, limits and the SSE codec
export * from "./protocol/index.js";
// The bot and its server
export * from "./server/index.js";
