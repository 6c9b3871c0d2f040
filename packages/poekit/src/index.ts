/**
 * poekit: build Poe server bots in TypeScript.
 * Runtime-specific code lives behind subpaths: `poekit/node` (run, toNodeHandler); test helpers in
 * `poekit/testing`; the protocol's schemas, SSE codec and limits, for tools that speak it, in
 * `poekit/protocol`.
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
} from "./core/errors.js";
// The protocol's types, which a bot reads and writes (their schemas are in poekit/protocol)
export type { Attachment } from "./protocol/attachment.js";
export type { ErrorType } from "./protocol/error-type.js";
export type { FeedbackType, MessageFeedback } from "./protocol/message-feedback.js";
export type { MessageReaction } from "./protocol/message-reaction.js";
export type {
  AspectRatio,
  AspectRatioOption,
  BaseControl,
  ComparatorCondition,
  ConditionallyRenderControls,
  Divider,
  DropDown,
  FullControl,
  LiteralValue,
  ParameterControls,
  ParameterValue,
  Section,
  Slider,
  Tab,
  TextArea,
  TextField,
  ToggleSwitch,
  ValueNamePair,
} from "./protocol/parameter-controls.js";
export {
  type ContentType,
  isKnownRole,
  type KnownRole,
  type MessageType,
  type ProtocolMessage,
  type ProtocolMessageInit,
  type Role,
} from "./protocol/protocol-message.js";
export type { QueryRequest, QueryRequestInit } from "./protocol/query-request.js";
export type { ReportErrorRequest } from "./protocol/report-error-request.js";
export type { ReportFeedbackRequest } from "./protocol/report-feedback-request.js";
export type { ReportReactionRequest } from "./protocol/report-reaction-request.js";
export type { Sender } from "./protocol/sender.js";
export type { SettingsRequest } from "./protocol/settings-request.js";
export type { SettingsResponse } from "./protocol/settings-response.js";
export type {
  AnyToolCallDefinition,
  AnyToolDefinition,
  CustomCallDefinition,
  CustomToolDefinition,
  FunctionCallDefinition,
  FunctionDefinition,
  ParametersDefinition,
  ToolCallDefinition,
  ToolCallDefinitionDelta,
  ToolDefinition,
  ToolResultDefinition,
} from "./protocol/tools.js";
export type { User } from "./protocol/user.js";
// The bot and its server
export * from "./server/index.js";
