import type { MessageError, MessageRecord } from "../model.js";
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

  /**
   * Fails every answer still pending or streaming, with `error`: at start, such answers are what a
   * simulator that was killed left behind, and nothing will finish them. Returns how many there were.
   */
  failUnfinished(error: MessageError): number {
    return this.db
      .prepare(
        `UPDATE messages SET json = json_set(json, '$.status', 'error', '$.error', json(?))
         WHERE json_extract(json, '$.status') IN ('pending', 'streaming')`,
      )
      .run(JSON.stringify(error)).changes;
  }

  listByConversation(conversationId: string): MessageRecord[] {
    const rows = this.db
      .prepare("SELECT json FROM messages WHERE conversation_id = ? ORDER BY position")
      .all(conversationId) as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as MessageRecord);
  }
}
