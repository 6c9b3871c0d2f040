import type { ConversationRecord } from "../model.js";
import type { SimulatorDatabase } from "./database.js";

/** The `conversations` table; deleting one deletes its messages. */
export class ConversationsStore {
  constructor(private readonly db: SimulatorDatabase) {}

  save(conversation: ConversationRecord): void {
    this.db
      .prepare(
        `INSERT INTO conversations (id, json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
      )
      .run(conversation.id, JSON.stringify(conversation), conversation.updatedAt);
  }

  get(id: string): ConversationRecord | undefined {
    const row = this.db.prepare("SELECT json FROM conversations WHERE id = ?").get(id) as
      | { json: string }
      | undefined;
    return row && (JSON.parse(row.json) as ConversationRecord);
  }

  /** Newest first. */
  list(): ConversationRecord[] {
    const rows = this.db.prepare("SELECT json FROM conversations ORDER BY updated_at DESC").all() as {
      json: string;
    }[];
    return rows.map((row) => JSON.parse(row.json) as ConversationRecord);
  }

  delete(id: string): boolean {
    return this.db.prepare("DELETE FROM conversations WHERE id = ?").run(id).changes > 0;
  }
}
