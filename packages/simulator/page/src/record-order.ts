/** The orders the page keeps conversations and messages in, and which snapshot of a message wins. */
import type { ConversationRecord, MessageRecord } from "../../src/model.ts";

/** Messages oldest first, as a conversation reads. */
export function byCreation(a: MessageRecord, b: MessageRecord): number {
  return a.createdAt - b.createdAt;
}

/** Conversations most recently updated first, as the sidebar lists them. */
export function byNewest(a: ConversationRecord, b: ConversationRecord): number {
  return b.updatedAt - a.updatedAt;
}

const STATUS_RANK: Record<MessageRecord["status"], number> = {
  pending: 0,
  streaming: 1,
  complete: 2,
  error: 2,
};

/**
 * Whether one snapshot of a message is further along than another. Content length says nothing
 * (`replace_response` shortens it), so only the status counts.
 */
export function isAhead(a: MessageRecord, b: MessageRecord): boolean {
  return STATUS_RANK[a.status] > STATUS_RANK[b.status];
}
