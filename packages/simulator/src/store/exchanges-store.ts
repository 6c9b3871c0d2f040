import type { ExchangeRecord, RawEventRecord, ViolationRule } from "../model.js";
import type { SimulatorDatabase } from "./database.js";

interface RawEventRow {
  exchange_id: string;
  seq: number;
  at_ms: number;
  event: string;
  data: string;
  violation: ViolationRule | null;
}

/** The `exchanges` and `raw_events` tables: what the inspector shows. */
export class ExchangesStore {
  constructor(private readonly db: SimulatorDatabase) {}

  /** Inserts or replaces the exchange. `botQueryId` is the `bot_query_id` its request carried. */
  save(exchange: ExchangeRecord, botQueryId: string | null = null): void {
    this.db
      .prepare(
        `INSERT INTO exchanges (id, message_id, bot_query_id, json, started_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET json = excluded.json`,
      )
      .run(exchange.id, exchange.messageId, botQueryId, JSON.stringify(exchange), exchange.startedAt);
  }

  get(id: string): ExchangeRecord | undefined {
    const row = this.db.prepare("SELECT json FROM exchanges WHERE id = ?").get(id) as
      | { json: string }
      | undefined;
    return row && (JSON.parse(row.json) as ExchangeRecord);
  }

  /** The exchanges caused by one bot message, oldest first. */
  listForMessage(messageId: string): ExchangeRecord[] {
    const rows = this.db
      .prepare("SELECT json FROM exchanges WHERE message_id = ? ORDER BY started_at, rowid")
      .all(messageId) as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as ExchangeRecord);
  }

  /** The exchange whose request carried this `bot_query_id`, for cost calls. */
  findByBotQueryId(botQueryId: string): ExchangeRecord | undefined {
    const row = this.db.prepare("SELECT json FROM exchanges WHERE bot_query_id = ?").get(botQueryId) as
      | { json: string }
      | undefined;
    return row && (JSON.parse(row.json) as ExchangeRecord);
  }

  /** Deletes the exchanges (and their raw events) of every message of a conversation. */
  deleteForConversation(conversationId: string): void {
    this.db
      .prepare(
        "DELETE FROM exchanges WHERE message_id IN (SELECT id FROM messages WHERE conversation_id = ?)",
      )
      .run(conversationId);
  }

  /** Marks every exchange still running as failed: at start, those are a killed simulator's. */
  failRunning(): void {
    this.db
      .prepare(
        `UPDATE exchanges SET json = json_set(json, '$.status', 'failed')
         WHERE json_extract(json, '$.status') = 'running'`,
      )
      .run();
  }

  addRawEvent(event: RawEventRecord): void {
    this.db
      .prepare("INSERT OR REPLACE INTO raw_events VALUES (?, ?, ?, ?, ?, ?)")
      .run(event.exchangeId, event.seq, event.atMs, event.event, event.data, event.violation);
  }

  rawEvents(exchangeId: string): RawEventRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM raw_events WHERE exchange_id = ? ORDER BY seq")
      .all(exchangeId) as RawEventRow[];
    return rows.map((row) => ({
      exchangeId: row.exchange_id,
      seq: row.seq,
      atMs: row.at_ms,
      event: row.event,
      data: row.data,
      violation: row.violation,
    }));
  }
}
