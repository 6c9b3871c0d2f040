import { MAX_CONVERSATION_MESSAGES } from "poekit/protocol";

/**
 * The history Poe sends at most: the latest {@link MAX_CONVERSATION_MESSAGES} messages, the one
 * being answered last. Poe says only that it may cut a longer conversation, so the oldest go and
 * nothing from before the cut is kept (not even the first message): the start of the conversation is
 * what a long chat loses. Callers cut the messages the bot would be sent, before role alternation
 * merges any, so a merged history is never longer either.
 * @example
 * latestHistory(messages).length <= MAX_CONVERSATION_MESSAGES; // true
 */
export function latestHistory<T>(messages: readonly T[]): readonly T[] {
  return messages.length > MAX_CONVERSATION_MESSAGES ? messages.slice(-MAX_CONVERSATION_MESSAGES) : messages;
}
