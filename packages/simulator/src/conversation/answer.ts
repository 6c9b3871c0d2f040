import type { SimulatorContext } from "../context.js";
import { storedFileId } from "../files/file-urls.js";
import { linkSignals } from "../linked-signal.js";
import type { ConversationRecord, MessageError, MessageRecord, Violation } from "../model.js";
import { applyEvent, createAnswer } from "../query/answer-state.js";
import { recordExchange } from "../query/recorded-exchange.js";
import { transaction } from "../store/transaction.js";
import { attachmentResolver } from "./attachment-resolver.js";
import { buildConversationQuery } from "./build-query.js";

/** How often a streaming answer is pushed to the page at most. */
const PUBLISH_INTERVAL_MS = 50;

/**
 * Asks the bot of `botMessage` to answer, as Poe does: builds the query from the conversation, sends
 * it, folds the events into the message while pushing snapshots to the page, and stores the finished
 * message in one write.
 *
 * @example
 * await answer(context, conversation, botMessage);
 */
export async function answer(
  context: SimulatorContext,
  conversation: ConversationRecord,
  botMessage: MessageRecord,
): Promise<MessageRecord> {
  // Deleting the conversation stops its answers: nothing may be written into it any more.
  const deleted = new AbortController();
  const unsubscribe = context.bus.subscribe((event) => {
    if (event.type === "conversation-deleted" && event.conversationId === conversation.id) deleted.abort();
  });
  if (!context.store.conversations.get(conversation.id)) deleted.abort();
  try {
    return await answerUnlessDeleted(context, conversation, botMessage, deleted.signal);
  } finally {
    unsubscribe();
  }
}

async function answerUnlessDeleted(
  context: SimulatorContext,
  conversation: ConversationRecord,
  botMessage: MessageRecord,
  deleted: AbortSignal,
): Promise<MessageRecord> {
  const { store, bus, registry } = context;
  const botName = botMessage.botName as string;
  const target = registry.target(botName);
  // Feedback and reactions are the user's, who may give them while the answer streams: every write
  // takes them from the stored message, so that the answer never overwrites them.
  const current = (): MessageRecord => {
    const stored = store.messages.get(botMessage.id);
    if (stored) Object.assign(botMessage, { feedback: stored.feedback, reactions: stored.reactions });
    return { ...botMessage };
  };
  const publish = () => {
    if (!deleted.aborted) bus.publish({ type: "message", message: current() });
  };
  const save = () => {
    if (deleted.aborted) return;
    const message = current();
    store.messages.save(message);
    bus.publish({ type: "message", message });
  };
  if (deleted.aborted) return botMessage;
  if (!target) {
    botMessage.status = "error";
    botMessage.error = errorOf(`There is no bot named "${botName}" any more.`, false);
    save();
    return botMessage;
  }

  const settings = registry.settings(botName);
  const body = await buildConversationQuery({
    conversation,
    history: store.messages.listByConversation(conversation.id),
    botMessage,
    botName,
    settings,
    attachment: attachmentResolver(context, settings),
  });

  if (deleted.aborted) return botMessage;
  botMessage.status = "streaming";
  save();
  const state = createAnswer();
  let lastPublish = 0;
  const linked = linkSignals(context.tasks.signal, deleted);
  const { outcome } = await recordExchange(context, {
    target,
    body,
    messageId: botMessage.id,
    parentId: null,
    caller: { kind: "simulator" },
    signal: linked.signal,
    onEvent: (event) => {
      applyEvent(state, event);
      Object.assign(botMessage, {
        content: state.content,
        contentType: state.contentType,
        suggestedReplies: [...state.suggestedReplies],
        metadata: state.metadata,
        error: state.error,
      });
      botMessage.attachments = state.files.map((file) => ({
        ...file,
        fileId: storedFileId(context, file.url),
      }));
      const now = Date.now();
      if (now - lastPublish >= PUBLISH_INTERVAL_MS) {
        lastPublish = now;
        publish();
      }
    },
  }).finally(linked.release);

  // Poe shows an error for a response with neither text nor error, even one that ended properly.
  const empty = outcome.violations.some((violation) => violation.rule === "no-text-or-error");
  if (state.error) botMessage.status = "error";
  else if (outcome.completed && !empty) botMessage.status = "complete";
  else {
    botMessage.status = "error";
    botMessage.error = errorOf(failureText(outcome.violations, outcome.aborted), !outcome.aborted);
  }
  transaction(store.db, save);
  if (state.refetchSettings) void refetchSettings(context, botName);
  return botMessage;
}

/**
 * Fetches the bot's settings again after an answer whose `meta` asked for it, as Poe does; the page
 * sees the new settings (or the failure, kept on the bot's record) at once.
 */
async function refetchSettings(context: SimulatorContext, botName: string): Promise<void> {
  try {
    await context.registry.refreshSettings(botName);
  } catch {
    return; // the bot was removed meanwhile: nothing to refresh
  }
  context.bus.publish({ type: "bots", bots: context.registry.list() });
}

function failureText(violations: readonly Violation[], aborted: boolean): string {
  if (aborted) return "The answer was cancelled.";
  const fatal = violations.find(
    (violation) => violation.rule !== "unknown-event" && violation.rule !== "meta-not-first",
  );
  return fatal ? `The bot's response failed: ${fatal.message}` : "The bot's response ended without `done`.";
}

function errorOf(text: string, allowRetry: boolean): MessageError {
  return { text, allowRetry, errorType: null, rawResponse: null };
}
