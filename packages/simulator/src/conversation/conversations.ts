import { makeIdentifier } from "poekit/protocol";
import type { SimulatorContext } from "../context.js";
import type { ConversationRecord, MessageFile, MessageRecord } from "../model.js";
import { transaction } from "../store/transaction.js";
import { answer } from "./answer.js";
import { ConversationError } from "./conversation-error.js";

/** The user the simulator plays; fixed, so conversations keep one `user_id` as on Poe. */
const USER_ID_KEY = "user-id";

/** What the page sends as a new message. */
export interface NewMessage {
  text: string;
  /** Ids of files uploaded with `POST /api/uploads`. */
  attachments: string[];
  parameters: Record<string, unknown>;
}

/** Starts a conversation with `botName`. */
export function createConversation(
  context: SimulatorContext,
  botName: string,
  title?: string,
): ConversationRecord {
  if (!context.registry.get(botName))
    throw new ConversationError("not-found", `There is no bot named "${botName}".`);
  const now = Date.now();
  const conversation: ConversationRecord = {
    id: makeIdentifier("c"),
    title: title?.trim() || `Chat with ${botName}`,
    botName,
    contextId: makeIdentifier("c"),
    userId: userId(context),
    createdAt: now,
    updatedAt: now,
  };
  saveConversation(context, conversation);
  return conversation;
}

export function getConversation(context: SimulatorContext, id: string): ConversationRecord {
  const conversation = context.store.conversations.get(id);
  if (!conversation) throw new ConversationError("not-found", `There is no conversation "${id}".`);
  return conversation;
}

/** Deletes the conversation with its messages and what the inspector recorded for them. */
export function deleteConversation(context: SimulatorContext, id: string): void {
  const { store } = context;
  const deleted = transaction(store.db, () => {
    store.exchanges.deleteForConversation(id);
    return store.conversations.delete(id);
  });
  if (!deleted) throw new ConversationError("not-found", `There is no conversation "${id}".`);
  context.bus.publish({ type: "conversation-deleted", conversationId: id });
}

/** "Clear context": later messages go to the bots under a new `conversation_id`, without the history. */
export function clearContext(
  context: SimulatorContext,
  id: string,
): { conversation: ConversationRecord; message: MessageRecord } {
  const conversation = getConversation(context, id);
  conversation.contextId = makeIdentifier("c");
  conversation.updatedAt = Date.now();
  const message = newMessage(conversation, {
    role: "system",
    content: "Context cleared",
    status: "complete",
  });
  transaction(context.store.db, () => {
    saveConversation(context, conversation);
    saveMessage(context, message);
  });
  return { conversation, message };
}

/**
 * Stores the user's message and starts the answers in the background: the bots it mentions with
 * `@Name`, in order, or the conversation's bot. Their progress reaches the page on `/api/events`.
 */
export function sendMessage(
  context: SimulatorContext,
  conversationId: string,
  input: NewMessage,
): { userMessage: MessageRecord; botMessages: MessageRecord[] } {
  const conversation = getConversation(context, conversationId);
  const bots = mentionedBots(context, input.text);
  if (bots.length === 0) bots.push(conversation.botName);
  for (const botName of bots) {
    if (!context.registry.get(botName))
      throw new ConversationError("not-found", `There is no bot named "${botName}".`);
  }
  const attachments = input.attachments.map((id) => userFile(context, id));
  if (attachments.length > 0) {
    const refusing = bots.find((botName) => !context.registry.settings(botName).allowAttachments);
    if (refusing) {
      throw new ConversationError(
        "refused",
        `${refusing} does not accept attachments (its settings say allow_attachments: false).`,
      );
    }
    const imageBot = bots.find((botName) => context.registry.settings(botName).enableImageComprehension);
    if (imageBot && attachments.filter((file) => file.contentType.startsWith("image/")).length > 1) {
      throw new ConversationError(
        "refused",
        `${imageBot} has image comprehension on: Poe allows one image per message then.`,
      );
    }
  }

  const userMessage = newMessage(conversation, {
    role: "user",
    content: input.text,
    status: "complete",
    attachments,
    parameters: input.parameters,
  });
  const botMessages = bots.map((botName) =>
    newMessage(conversation, { role: "bot", botName, status: "pending", replyTo: userMessage.id }),
  );
  if (conversation.title.startsWith("Chat with ") && input.text.trim()) {
    conversation.title = input.text.trim().slice(0, 60);
  }
  conversation.updatedAt = Date.now();
  transaction(context.store.db, () => {
    saveConversation(context, conversation);
    saveMessage(context, userMessage);
    for (const message of botMessages) saveMessage(context, message);
  });

  // A bot whose settings failed and whose timed retries are used up gets one more fetch per message.
  for (const botName of bots) context.registry.retrySettingsAtMessage(botName);
  // Poe lets each mentioned bot answer in turn, each seeing the answers before it.
  context.tasks.run(() =>
    context.answers.enqueue(conversation.id, async () => {
      for (const message of botMessages) await answer(context, conversation, message);
    }),
  );
  return { userMessage, botMessages };
}

/** Asks the bot of a bot message again, as a new message answering the same user message. */
export function retryMessage(context: SimulatorContext, messageId: string): MessageRecord {
  const previous = botMessage(context, messageId);
  const conversation = getConversation(context, previous.conversationId);
  const message = newMessage(conversation, {
    role: "bot",
    botName: previous.botName,
    status: "pending",
    replyTo: previous.replyTo,
    // It answers the same user message, in the context that message was sent in.
    contextId: previous.contextId,
  });
  saveMessage(context, message);
  context.tasks.run(() =>
    context.answers.enqueue(conversation.id, () => answer(context, conversation, message)),
  );
  return message;
}

/** A bot message by id, or a 404. */
export function botMessage(context: SimulatorContext, messageId: string): MessageRecord {
  const message = context.store.messages.get(messageId);
  if (message?.role !== "bot")
    throw new ConversationError("not-found", `There is no bot message "${messageId}".`);
  return message;
}

export function saveMessage(context: SimulatorContext, message: MessageRecord): void {
  context.store.messages.save(message);
  context.bus.publish({ type: "message", message });
}

function saveConversation(context: SimulatorContext, conversation: ConversationRecord): void {
  context.store.conversations.save(conversation);
  context.bus.publish({ type: "conversation", conversation });
}

/**
 * A new message of `conversation` in its current context, with the given fields and empty rest.
 * @example
 * newMessage(conversation, { role: "user", status: "complete", content: "Hi" });
 */
export function newMessage(
  conversation: ConversationRecord,
  fields: Partial<MessageRecord> & Pick<MessageRecord, "role" | "status">,
): MessageRecord {
  return {
    id: makeIdentifier("m"),
    conversationId: conversation.id,
    contextId: conversation.contextId,
    botName: null,
    content: "",
    contentType: "text/markdown",
    attachments: [],
    parameters: {},
    suggestedReplies: [],
    metadata: null,
    error: null,
    feedback: [],
    reactions: [],
    replyTo: null,
    createdAt: Date.now(),
    ...fields,
  };
}

function mentionedBots(context: SimulatorContext, text: string): string[] {
  const names = context.registry.list().map((bot) => bot.name);
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\s)@([A-Za-z0-9][A-Za-z0-9_.-]*)/g)) {
    const mention = (match[1] as string).replace(/[.]+$/, "").toLowerCase();
    const name = names.find((candidate) => candidate.toLowerCase() === mention);
    if (name && !found.includes(name)) found.push(name);
  }
  return found;
}

function userFile(context: SimulatorContext, id: string): MessageFile {
  const file = context.store.files.get(id);
  if (!file)
    throw new ConversationError(
      "not-found",
      `There is no uploaded file "${id}"; upload it with POST /api/uploads first.`,
    );
  return { fileId: file.id, url: "", name: file.name, contentType: file.contentType, inlineRef: null };
}

function userId(context: SimulatorContext): string {
  let id = context.store.kv.get(USER_ID_KEY);
  if (!id) {
    id = makeIdentifier("u");
    context.store.kv.set(USER_ID_KEY, id);
  }
  return id;
}
