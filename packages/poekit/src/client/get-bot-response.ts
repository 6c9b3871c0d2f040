import type { ProtocolMessageInit } from "../protocol/protocol-message.js";
import type { QueryRequestInit } from "../protocol/query-request.js";
import { PROTOCOL_VERSION } from "../protocol/version.js";
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
  const request: QueryRequestInit = {
    version: PROTOCOL_VERSION,
    type: "query",
    query: messages.map((message) =>
      typeof message === "string" ? { role: "user", content: message } : message,
    ) as QueryRequestInit["query"],
    user_id: "",
    conversation_id: "",
    message_id: "",
    ...(temperature !== undefined && { temperature }),
    ...(skipSystemPrompt !== undefined && { skip_system_prompt: skipSystemPrompt }),
    ...(adoptCurrentBotName !== undefined && { adopt_current_bot_name: adoptCurrentBotName }),
    ...(logitBias !== undefined && { logit_bias: logitBias }),
    ...(stopSequences !== undefined && { stop_sequences: stopSequences }),
  };
  return streamRequest(request, botName, apiKey, rest);
}
