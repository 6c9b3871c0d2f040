import type { MessageRecord } from "../model.js";
import type { SimulatorDatabase } from "./database.js";

/** The `messages` table: each message kept whole as JSON, in the order it was first written. */
export class MessagesStore {
  constructor(private readonly db: SimulatorDatabase) {}

  /** Inserts the message at the end of its conversation, or replaces it in place. */
  save(message: MessageRecord): void {
    this.db
      .prepare(
        `INSERT INTO messages (id, conversation_id, position, json)
         VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM messages WHERE conversation_id = ?), ?)
         ON CONFLICT(id) DO UPDATE SET json = excluded.json`,
      )
      .run(message.id, message.conversationId, message.conversationId, JSON.stringify(message));
  }

  get(id: string): MessageRecord | undefined {
    const row = this.db.prepare("SELECT json FROM messages WHERE id = ?").get(id) as
      | { json: string }
      | undefined;
    return row && (JSON.parse(row.json) as MessageRecord);
  }

  listByConversation(conversationId: string): MessageRecord[] {
    const rows = this.db
      .prepare("SELECT json FROM messages WHERE conversation_id = ? ORDER BY position")
      .all(conversationId) as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as MessageRecord);
  }
}
