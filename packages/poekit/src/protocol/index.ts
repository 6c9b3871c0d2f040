export type { Attachment } from "./attachment.js";
export { AttachmentSchema } from "./attachment.js";
export type { ErrorType } from "./error-type.js";
export { ERROR_TYPES, ErrorTypeSchema } from "./error-type.js";
export type { IdentifierKind } from "./identifiers.js";
export { IDENTIFIER_PATTERN, isIdentifier, makeIdentifier } from "./identifiers.js";
export { jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-depth.js";
export * from "./limits.js";
export type { FeedbackType, MessageFeedback } from "./message-feedback.js";
export { FEEDBACK_TYPES, FeedbackTypeSchema, MessageFeedbackSchema } from "./message-feedback.js";
export type { MessageReaction } from "./message-reaction.js";
export { MessageReactionSchema } from "./message-reaction.js";
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
} from "./parameter-controls.js";
export {
  AspectRatioOptionSchema,
  AspectRatioSchema,
  BaseControlSchema,
  ComparatorConditionSchema,
  ConditionallyRenderControlsSchema,
  DividerSchema,
  DropDownSchema,
  FullControlSchema,
  LiteralValueSchema,
  ParameterControlsSchema,
  ParameterValueSchema,
  SectionSchema,
  SliderSchema,
  TabSchema,
  TextAreaSchema,
  TextFieldSchema,
  ToggleSwitchSchema,
  ValueNamePairSchema,
} from "./parameter-controls.js";
export type {
  ContentType,
  KnownRole,
  MessageType,
  ProtocolMessage,
  ProtocolMessageInit,
  Role,
} from "./protocol-message.js";
export {
  CONTENT_TYPES,
  ContentTypeSchema,
  isKnownRole,
  KNOWN_ROLES,
  MESSAGE_TYPES,
  MessageTypeSchema,
  ProtocolMessageSchema,
  REFERENCED_MESSAGE_DEPTH,
  RoleSchema,
} from "./protocol-message.js";
export type { QueryRequest, QueryRequestInit } from "./query-request.js";
export { MISSING_ACCESS_KEY, QueryRequestSchema } from "./query-request.js";
export type { ReportErrorRequest } from "./report-error-request.js";
export { ReportErrorRequestSchema } from "./report-error-request.js";
export type { ReportFeedbackRequest } from "./report-feedback-request.js";
export { ReportFeedbackRequestSchema } from "./report-feedback-request.js";
export type { ReportReactionRequest } from "./report-reaction-request.js";
export { ReportReactionRequestSchema } from "./report-reaction-request.js";
export type { RequestType, ValidationIssue } from "./request-schemas.js";
export { formatIssues, isRequestType, REQUEST_SCHEMAS } from "./request-schemas.js";
export type {
  DataEventData,
  ErrorEventData,
  FileEventData,
  MetaEventData,
  ResponseEvent,
  ResponseEventName,
  TextEventData,
} from "./response-events.js";
export {
  DataEventDataSchema,
  ErrorEventDataSchema,
  FileEventDataSchema,
  isResponseEventName,
  MetaEventDataSchema,
  RESPONSE_EVENT_SCHEMAS,
  TextEventDataSchema,
} from "./response-events.js";
export type { Sender } from "./sender.js";
export { SenderSchema } from "./sender.js";
export type { SettingsRequest } from "./settings-request.js";
export { SettingsRequestSchema } from "./settings-request.js";
export type { ParsedSettingsResponse, SettingsResponse } from "./settings-response.js";
export { SETTINGS_RESPONSE_VERSION, SettingsResponseSchema } from "./settings-response.js";
export type { SseDecodeErrorCode, SseDecoderOptions, SseEvent } from "./sse-decoder.js";
export { decodeSseStream, SseDecodeError, SseDecoder } from "./sse-decoder.js";
export { DONE_EVENT, encodeComment, encodeEvent, encodeEventBytes, PING_COMMENT } from "./sse-encoder.js";
export type {
  FunctionCallDefinition,
  FunctionDefinition,
  ParametersDefinition,
  ToolCallDefinition,
  ToolCallDefinitionDelta,
  ToolDefinition,
  ToolResultDefinition,
} from "./tools.js";
export {
  FunctionCallDefinitionSchema,
  FunctionDefinitionSchema,
  ParametersDefinitionSchema,
  ToolCallDefinitionDeltaSchema,
  ToolCallDefinitionSchema,
  ToolDefinitionSchema,
  ToolResultDefinitionSchema,
} from "./tools.js";
export type { User } from "./user.js";
export { UserSchema } from "./user.js";
export { PROTOCOL_VERSION } from "./version.js";
