import { buildQueryRequest } from "../protocol/build-query-request.js";
import type { ProtocolMessageInit } from "../protocol/protocol-message.js";
import type { BotMessage } from "./response-reader.js";
import { type StreamRequestOptions, streamRequest } from "./stream-request.js";

/** What {@link getBotResponse} takes: the conversation, the bot, a key, and query options. */
export interface GetBotResponseOptions extends StreamRequestOptions {
  /** The conversation, oldest first; a string is one user message. */
  messages: ReadonlyArray<ProtocolMessageInit | string>;
  /** The bot to call, such as `"GPT-4o-Mini"`. */
  botName: string;
  /** An API key from poe.com/api_key, or `request.access_key` inside a bot. */
  apiKey: string;
  temperature?: number;
  skipSystemPrompt?: boolean;
  adoptCurrentBotName?: boolean;
  logitBias?: Record<string, number>;
  stopSequences?: string[];
}

/**
 * Calls a bot with a list of messages, for scripts and back ends that have no `QueryRequest` of their
 * own; streams like {@link streamRequest}. There is no `getBotResponseSync`: JavaScript has no
 * blocking I/O to offer it, so await this (or {@link getFinalResponse}) instead.
 * @example
 * for await (const msg of getBotResponse({ messages: ["Hi!"], botName: "GPT-4o-Mini", apiKey })) {
 *   process.stdout.write(msg.text);
 * }
 */
export function getBotResponse(options: GetBotResponseOptions): AsyncGenerator<BotMessage, void, undefined> {
  const {
    messages,
    botName,
    apiKey,
    temperature,
    skipSystemPrompt,
    adoptCurrentBotName,
    logitBias,
    stopSequences,
    ...rest
  } = options;
  // Empty ids, as fastapi_poe's get_bot_response sends: a script's call belongs to no conversation.
  const request = buildQueryRequest({
    query: messages,
    user_id: "",
    conversation_id: "",
    message_id: "",
    temperature,
    skip_system_prompt: skipSystemPrompt,
    adopt_current_bot_name: adoptCurrentBotName,
    logit_bias: logitBias,
    stop_sequences: stopSequences,
  });
  return streamRequest(request, botName, apiKey, rest);
}
