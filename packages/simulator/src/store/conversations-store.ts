import type { ConversationRecord } from "../model.js";
import type { SimulatorDatabase, Statement } from "./database.js";

/** The `conversations` table; deleting one deletes its messages. */
export class ConversationsStore {
  readonly #save: Statement;
  readonly #get: Statement;
  readonly #list: Statement;
  readonly #delete: Statement;

  constructor(db: SimulatorDatabase) {
    this.#save = db.prepare(
      `INSERT INTO conversations (id, json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
    );
    this.#get = db.prepare("SELECT json FROM conversations WHERE id = ?");
    this.#list = db.prepare("SELECT json FROM conversations ORDER BY updated_at DESC");
    this.#delete = db.prepare("DELETE FROM conversations WHERE id = ?");
  }

  save(conversation: ConversationRecord): void {
    this.#save.run(conversation.id, JSON.stringify(conversation), conversation.updatedAt);
  }

  get(id: string): ConversationRecord | undefined {
    const row = this.#get.get(id) as { json: string } | undefined;
    return row && (JSON.parse(row.json) as ConversationRecord);
  }

  /** Newest first. */
  list(): ConversationRecord[] {
    const rows = this.#list.all() as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as ConversationRecord);
  }

  delete(id: string): boolean {
    return this.#delete.run(id).changes > 0;
  }
}
