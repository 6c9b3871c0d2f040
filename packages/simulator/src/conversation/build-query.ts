import {
  type Attachment,
  makeIdentifier,
  makePromptAuthorRoleAlternated,
  PROTOCOL_VERSION,
  type ProtocolMessage,
} from "poekit";
import type { BotSettings, ConversationRecord, MessageFile, MessageRecord } from "../model.js";

/** What the builder needs besides the conversation: the answering bot and how to fill attachments. */
export interface QueryInput {
  conversation: ConversationRecord;
  /** The conversation's messages in order, the user message being answered included. */
  history: readonly MessageRecord[];
  /** The (pending) bot message the answer will fill: its id is the request's `message_id`. */
  botMessage: MessageRecord;
  botName: string;
  settings: BotSettings;
  /** A fresh URL for a stored file (they expire) and its `parsed_content` under these settings. */
  attachment: (file: MessageFile) => Promise<Attachment>;
}

/**
 * Builds the `query` request Poe would send for this turn: the messages of the current context (since
 * the last "clear context"), shaped by the bot's settings — other bots' messages only with multi-entity
 * prompting, strict user/bot alternation when the bot asks for it, attachments with `parsed_content`.
 *
 * @example
 * const body = await buildQueryRequest({ conversation, history, botMessage, botName, settings, attachment });
 */
export async function buildQueryRequest(input: QueryInput): Promise<Record<string, unknown>> {
  const { conversation, botName, settings } = input;
  const visible = input.history.filter(
    (message) =>
      message.contextId === conversation.contextId &&
      message.id !== input.botMessage.id &&
      (message.role === "user" ||
        (message.role === "bot" &&
          message.status === "complete" &&
          (settings.enableMultiEntityPrompting || message.botName === botName))),
  );
  let query: ProtocolMessage[] = [];
  for (const message of visible) query.push(await toProtocolMessage(message, input));
  if (settings.enforceAuthorRoleAlternation) query = makePromptAuthorRoleAlternated(query);
  return {
    version: PROTOCOL_VERSION,
    type: "query",
    query,
    user_id: conversation.userId,
    conversation_id: conversation.contextId,
    message_id: input.botMessage.id,
    metadata: "",
    bot_query_id: makeIdentifier("bq"),
    temperature: null,
    skip_system_prompt: false,
    logit_bias: {},
    stop_sequences: [],
    language_code: "en",
    users: [{ id: conversation.userId, name: null }],
    query_creation_time: Date.now() * 1000,
  };
}

async function toProtocolMessage(message: MessageRecord, input: QueryInput): Promise<ProtocolMessage> {
  const ownMessage = message.role === "bot" && message.botName === input.botName;
  return {
    role: message.role === "bot" ? "bot" : "user",
    message_type: null,
    sender_id: null,
    sender:
      message.role === "bot"
        ? { id: message.botName, name: message.botName }
        : { id: input.conversation.userId, name: null },
    content: message.content,
    content_type: message.contentType,
    timestamp: message.createdAt * 1000,
    message_id: message.id,
    feedback: message.feedback.map((feedback) => ({ type: feedback.type, reason: feedback.reason })),
    attachments: await Promise.all(message.attachments.map((file) => input.attachment(file))),
    // Poe hands a bot back only its own `data`, never another bot's.
    metadata: ownMessage ? message.metadata : null,
    referenced_message: null,
    reactions: message.reactions.map((reaction) => ({ user_id: input.conversation.userId, reaction })),
    parameters: message.role === "user" ? message.parameters : {},
  } as ProtocolMessage;
}
