import type { MessageError, MessageRecord } from "../model.js";
import type { SimulatorDatabase, Statement } from "./database.js";

/** The `messages` table: each message kept whole as JSON, in the order it was first written. */
export class MessagesStore {
  readonly #save: Statement;
  readonly #get: Statement;
  readonly #failUnfinished: Statement;
  readonly #listByConversation: Statement;

  constructor(db: SimulatorDatabase) {
    this.#save = db.prepare(
      `INSERT INTO messages (id, conversation_id, position, json)
       VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM messages WHERE conversation_id = ?), ?)
       ON CONFLICT(id) DO UPDATE SET json = excluded.json`,
    );
    this.#get = db.prepare("SELECT json FROM messages WHERE id = ?");
    this.#failUnfinished = db.prepare(
      `UPDATE messages SET json = json_set(json, '$.status', 'error', '$.error', json(?))
       WHERE json_extract(json, '$.status') IN ('pending', 'streaming')`,
    );
    this.#listByConversation = db.prepare(
      "SELECT json FROM messages WHERE conversation_id = ? ORDER BY position",
    );
  }

  /** Inserts the message at the end of its conversation, or replaces it in place. */
  save(message: MessageRecord): void {
    this.#save.run(message.id, message.conversationId, message.conversationId, JSON.stringify(message));
  }

  get(id: string): MessageRecord | undefined {
    const row = this.#get.get(id) as { json: string } | undefined;
    return row && (JSON.parse(row.json) as MessageRecord);
  }

  /**
   * Fails every answer still pending or streaming, with `error`: at start, such answers are what a
   * simulator that was killed left behind, and nothing will finish them. Returns how many there were.
   */
  failUnfinished(error: MessageError): number {
    return Number(this.#failUnfinished.run(JSON.stringify(error)).changes);
  }

  listByConversation(conversationId: string): MessageRecord[] {
    const rows = this.#listByConversation.all(conversationId) as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as MessageRecord);
  }
}
