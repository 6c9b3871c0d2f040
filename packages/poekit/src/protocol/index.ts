/**
 * poekit/protocol: the Poe protocol as data, for code that speaks it rather than bots that answer it
 * (the simulator, `poekit check`, a proxy, a test reading raw SSE).
 * - zod schemas of every request, message, setting, tool and response event (`QueryRequestSchema.parse`
 *   validates and fills defaults, like fastapi_poe's `QueryRequest.model_validate`);
 * - `buildQueryRequest`: a whole query request, every default filled as Poe and fastapi_poe send it;
 * - the SSE codec: `encodeEvent` and friends, `SseDecoder`, `decodeSseStream`;
 * - Poe's limits and the protocol's constants;
 * - the checks the SDK's server applies to what it reads, for tools that grade bots the same way;
 * - the rules of a response's events (`ResponseSequence`, `EVENT_RULES`) and how they fold into the
 *   answer Poe shows (`foldAnswer`).
 * The protocol's TypeScript types (`QueryRequest`, `ProtocolMessage`, `SettingsResponse`, …) are
 * exported by `poekit` itself.
 * @example
 * import { QueryRequestSchema, SseDecoder } from "poekit/protocol";
 * const request = QueryRequestSchema.parse(await httpRequest.json());
 */

export { keysMatch } from "./access-key.js";
export type { Answer, AnswerRecords, DisplayedContentType } from "./answer-fold.js";
export {
  answerLengthAfter,
  contentAfter,
  displayedContentType,
  emptyAnswer,
  errorAllowsRetry,
  foldAnswer,
} from "./answer-fold.js";
export { AttachmentSchema } from "./attachment.js";
export type { QueryMessageInput, QueryRequestParts } from "./build-query-request.js";
export { buildProtocolMessage, buildQueryRequest } from "./build-query-request.js";
export { countCharacters } from "./count-characters.js";
export { BASE_URL_ENV } from "./endpoints.js";
export { ErrorTypeSchema } from "./error-type.js";
export type {
  EventRule,
  EventRulePolicy,
  EventViolation,
  KeepAlive,
  RuleConsequence,
} from "./event-rules.js";
export {
  checkResponseEvent,
  checkResponseEventData,
  describeEventViolation,
  EVENT_RULES,
  isEventViolation,
  KEEP_ALIVE,
  KEEP_ALIVE_EVENT,
  ResponseSequence,
} from "./event-rules.js";
export type { IdentifierKind } from "./identifiers.js";
export { IDENTIFIER_PATTERN, makeIdentifier } from "./identifiers.js";
export { jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-depth.js";
export {
  ACCESS_KEY_LENGTH,
  DEFAULT_MAX_BODY_BYTES,
  FIRST_RESPONSE_TIMEOUT_MS,
  MAX_BOT_CALLS_PER_MESSAGE,
  MAX_CONVERSATION_MESSAGES,
  MAX_OUTPUT_FILE_BYTES,
  MAX_OUTPUT_FILES_PER_MESSAGE,
  MAX_RESPONSE_CHARACTERS,
  MAX_RESPONSE_EVENTS,
  PING_INTERVAL_MS,
  TOTAL_RESPONSE_TIMEOUT_MS,
} from "./limits.js";
export { FeedbackTypeSchema, MessageFeedbackSchema } from "./message-feedback.js";
export { MessageReactionSchema } from "./message-reaction.js";
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
export {
  ContentTypeSchema,
  MessageTypeSchema,
  ProtocolMessageSchema,
  REFERENCED_MESSAGE_DEPTH,
  RoleSchema,
} from "./protocol-message.js";
export { MISSING_ACCESS_KEY, QueryRequestSchema } from "./query-request.js";
export { ReportErrorRequestSchema } from "./report-error-request.js";
export { ReportFeedbackRequestSchema } from "./report-feedback-request.js";
export { ReportReactionRequestSchema } from "./report-reaction-request.js";
export type { RequestType, ValidationIssue } from "./request-schemas.js";
export { formatIssues, REQUEST_SCHEMAS } from "./request-schemas.js";
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
export { SenderSchema } from "./sender.js";
export { SettingsRequestSchema } from "./settings-request.js";
export type { ParsedSettingsResponse } from "./settings-response.js";
export { SettingsResponseSchema } from "./settings-response.js";
export type { SseDecodeErrorCode, SseDecoderOptions, SseEvent } from "./sse-decoder.js";
export { decodeSseStream, SseDecodeError, SseDecoder } from "./sse-decoder.js";
export { DONE_EVENT, encodeComment, encodeEvent, encodeEventBytes } from "./sse-encoder.js";
export { carriesToolCalls, offersTools } from "./tool-call-chunks.js";
export {
  AnyToolCallDefinitionSchema,
  AnyToolDefinitionSchema,
  CustomCallDefinitionSchema,
  CustomToolDefinitionSchema,
  FunctionCallDefinitionSchema,
  FunctionDefinitionSchema,
  isFunctionToolCall,
  isFunctionToolDefinition,
  ParametersDefinitionSchema,
  ToolCallDefinitionDeltaSchema,
  ToolCallDefinitionSchema,
  ToolDefinitionSchema,
  ToolResultDefinitionSchema,
} from "./tools.js";
export { UserSchema } from "./user.js";
export { PROTOCOL_VERSION } from "./version.js";
