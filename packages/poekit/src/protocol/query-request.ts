import { z } from "zod";
import { type ProtocolMessage, ProtocolMessageSchema } from "./protocol-message.js";
import { nullable, withDefault } from "./schema-helpers.js";
import { ToolCallDefinitionSchema, ToolDefinitionSchema, ToolResultDefinitionSchema } from "./tools.js";
import { UserSchema } from "./user.js";

/** What `request.access_key` holds when the bot has no key of its own. */
export const MISSING_ACCESS_KEY = "<missing>";

/**
 * A `query` request: the user sent a message and Poe asks the bot for its answer.
 * Absent optional fields (missing or `null`) get the protocol's defaults; unknown keys are kept.
 * @example
 * const request = QueryRequestSchema.parse(await httpRequest.json());
 * request.query.at(-1)?.content;
 */
export const QueryRequestSchema = z.looseObject({
  version: z.string(),
  type: z.literal("query"),
  /** The conversation in the current context window, oldest first. */
  query: z.array(ProtocolMessageSchema),
  user_id: z.string(),
  conversation_id: z.string(),
  /** The id of the bot message being written; file uploads and feedback refer to it. */
  message_id: z.string(),
  /** Internal to Poe; pass it on when calling other bots. */
  metadata: withDefault(z.string(), () => ""),
  /** @deprecated Same as `access_key`. */
  api_key: withDefault(z.string(), () => MISSING_ACCESS_KEY),
  /** Set by the server to the bot's own key (for calling other bots), or `"<missing>"`. */
  access_key: withDefault(z.string(), () => MISSING_ACCESS_KEY),
  temperature: nullable(z.number()),
  skip_system_prompt: withDefault(z.boolean(), () => false),
  logit_bias: withDefault(z.record(z.string(), z.number()), () => ({})),
  stop_sequences: withDefault(z.array(z.string()), () => []),
  language_code: withDefault(z.string(), () => "en"),
  adopt_current_bot_name: nullable(z.boolean()),
  /** Needed to authorize and capture costs. */
  bot_query_id: withDefault(z.string(), () => ""),
  users: withDefault(z.array(UserSchema), () => []),
  tools: nullable(z.array(ToolDefinitionSchema)),
  tool_calls: nullable(z.array(ToolCallDefinitionSchema)),
  tool_results: nullable(z.array(ToolResultDefinitionSchema)),
  /** Microseconds since the epoch. */
  query_creation_time: nullable(z.number()),
  extra_params: nullable(z.record(z.string(), z.unknown())),
});
export type QueryRequest = z.output<typeof QueryRequestSchema> & { query: ProtocolMessage[] };
/** A query request as it may be written: required fields only, defaults filled when parsed. */
export type QueryRequestInit = z.input<typeof QueryRequestSchema>;
