import {
  type Attachment,
  makePromptAuthorRoleAlternated,
  type ProtocolMessage,
  type QueryRequest,
} from "poekit";
import { buildProtocolMessage } from "poekit/protocol";
import type { BotSettings, ConversationRecord, MessageFile, MessageRecord } from "../model.js";
import { latestHistory } from "../query/history-limit.js";
import { queryRequestBody } from "../query/query-request.js";

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
 * Builds the `query` request Poe would send for this turn: the messages it answers, from the context
 * the bot message belongs to (a "clear context" starts a new one), no more of them than Poe sends
 * (`latestHistory`), shaped by the bot's settings — other bots' messages only with multi-entity
 * prompting, strict user/bot alternation when the bot asks for it, attachments with `parsed_content`.
 *
 * @example
 * const body = await buildConversationQuery({ conversation, history, botMessage, botName, settings, attachment });
 */
export async function buildConversationQuery(input: QueryInput): Promise<QueryRequest> {
  const { conversation, botMessage, botName, settings } = input;
  const visible = answeredMessages(input.history, botMessage).filter(
    (message) =>
      message.contextId === botMessage.contextId &&
      (message.role === "user" ||
        (message.role === "bot" &&
          message.status === "complete" &&
          (settings.enableMultiEntityPrompting || message.botName === botName))),
  );
  let query: ProtocolMessage[] = [];
  for (const message of latestHistory(visible)) query.push(await toProtocolMessage(message, input));
  if (settings.enforceAuthorRoleAlternation) query = makePromptAuthorRoleAlternated(query);
  return queryRequestBody({
    query,
    user_id: conversation.userId,
    conversation_id: botMessage.contextId,
    message_id: botMessage.id,
  });
}

/**
 * The messages a bot message answers: everything up to the user message it replies to, then the
 * answers other bots gave that message before it (bots mentioned together answer in turn, each seeing
 * the answers before it). A retried answer is written at the end of the conversation, yet later turns
 * and its own earlier attempts are no part of what it answers.
 */
function answeredMessages(history: readonly MessageRecord[], botMessage: MessageRecord): MessageRecord[] {
  const own = history.findIndex((message) => message.id === botMessage.id);
  const before = own === -1 ? history : history.slice(0, own);
  const asked = before.findIndex((message) => message.id === botMessage.replyTo);
  if (asked === -1) return [...before];
  const otherAnswers = before
    .slice(asked + 1)
    .filter(
      (message) =>
        message.role === "bot" &&
        message.replyTo === botMessage.replyTo &&
        message.botName !== botMessage.botName,
    );
  return [...before.slice(0, asked + 1), ...otherAnswers];
}

async function toProtocolMessage(message: MessageRecord, input: QueryInput): Promise<ProtocolMessage> {
  const ownMessage = message.role === "bot" && message.botName === input.botName;
  return buildProtocolMessage({
    role: message.role === "bot" ? "bot" : "user",
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
    reactions: message.reactions.map((reaction) => ({ user_id: input.conversation.userId, reaction })),
    parameters: message.role === "user" ? message.parameters : {},
  });
}
