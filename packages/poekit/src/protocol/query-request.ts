import * as z from "zod/mini";
import { type ProtocolMessage, ProtocolMessageSchema } from "./protocol-message.js";
import { looseObjectWithDefaults } from "./schema-helpers.js";
import { AnyToolCallDefinitionSchema, AnyToolDefinitionSchema, ToolResultDefinitionSchema } from "./tools.js";
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
export const QueryRequestSchema = looseObjectWithDefaults(
  {
    version: z.string(),
    type: z.literal("query"),
    /** The conversation in the current context window, oldest first. */
    query: z.array(ProtocolMessageSchema),
    user_id: z.string(),
    conversation_id: z.string(),
    /** The id of the bot message being written; file uploads and feedback refer to it. */
    message_id: z.string(),
    /** Internal to Poe; pass it on when calling other bots. */
    metadata: z.nullish(z.string()),
    /** @deprecated Same as `access_key`. */
    api_key: z.nullish(z.string()),
    /** Set by the server to the bot's own key (for calling other bots), or `"<missing>"`. */
    access_key: z.nullish(z.string()),
    temperature: z.nullish(z.number()),
    skip_system_prompt: z.nullish(z.boolean()),
    logit_bias: z.nullish(z.record(z.string(), z.number())),
    stop_sequences: z.nullish(z.array(z.string())),
    language_code: z.nullish(z.string()),
    adopt_current_bot_name: z.nullish(z.boolean()),
    /** Needed to authorize and capture costs. */
    bot_query_id: z.nullish(z.string()),
    users: z.nullish(z.array(UserSchema)),
    tools: z.nullish(z.array(AnyToolDefinitionSchema)),
    tool_calls: z.nullish(z.array(AnyToolCallDefinitionSchema)),
    tool_results: z.nullish(z.array(ToolResultDefinitionSchema)),
    /** Microseconds since the epoch. */
    query_creation_time: z.nullish(z.number()),
    extra_params: z.nullish(z.record(z.string(), z.unknown())),
  },
  {
    metadata: () => "",
    api_key: () => MISSING_ACCESS_KEY,
    access_key: () => MISSING_ACCESS_KEY,
    temperature: () => null,
    skip_system_prompt: () => false,
    logit_bias: () => ({}),
    stop_sequences: () => [],
    language_code: () => "en",
    adopt_current_bot_name: () => null,
    bot_query_id: () => "",
    users: () => [],
    tools: () => null,
    tool_calls: () => null,
    tool_results: () => null,
    query_creation_time: () => null,
    extra_params: () => null,
  },
);
export type QueryRequest = z.output<typeof QueryRequestSchema> & { query: ProtocolMessage[] };
/** A query request as it may be written: required fields only, defaults filled when parsed. */
export type QueryRequestInit = z.input<typeof QueryRequestSchema>;
