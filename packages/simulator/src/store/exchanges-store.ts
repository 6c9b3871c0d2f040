import type { ExchangeRecord, RawEventRecord, ViolationRule } from "../model.js";
import type { SimulatorDatabase, Statement } from "./database.js";
import { transaction } from "./transaction.js";

// A type rather than an interface, so that the compiler checks it against the rows node:sqlite returns.
type RawEventRow = {
  exchange_id: string;
  seq: number;
  at_ms: number;
  event: string;
  data: string;
  violation: ViolationRule | null;
};

interface PendingExchange {
  exchange: ExchangeRecord;
  botQueryId: string | null;
}

/**
 * The `exchanges` and `raw_events` tables: what the inspector shows.
 *
 * Raw events and an exchange's progress arrive while a bot streams, on the way from the bot to whoever
 * waits for its answer; they are queued and written in one transaction once the event loop has handed
 * the events on ({@link ExchangesStore.flush}), or at once when the exchange is saved with
 * {@link ExchangesStore.save}. Every read writes the queue first, so it sees every write made before it.
 */
export class ExchangesStore {
  readonly #db: SimulatorDatabase;
  readonly #save: Statement;
  readonly #get: Statement;
  readonly #listForMessage: Statement;
  readonly #findByBotQueryId: Statement;
  readonly #deleteForConversation: Statement;
  readonly #failRunning: Statement;
  readonly #addRawEvent: Statement;
  readonly #rawEvents: Statement;
  readonly #writeQueued: () => void;
  readonly #pendingExchanges = new Map<string, PendingExchange>();
  #pendingEvents: RawEventRecord[] = [];
  #flushScheduled = false;

  constructor(db: SimulatorDatabase) {
    this.#db = db;
    this.#save = db.prepare(
      `INSERT INTO exchanges (id, message_id, bot_query_id, json, started_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET json = excluded.json`,
    );
    this.#get = db.prepare("SELECT json FROM exchanges WHERE id = ?");
    this.#listForMessage = db.prepare(
      "SELECT json FROM exchanges WHERE message_id = ? ORDER BY started_at, rowid",
    );
    this.#findByBotQueryId = db.prepare("SELECT json FROM exchanges WHERE bot_query_id = ?");
    this.#deleteForConversation = db.prepare(
      "DELETE FROM exchanges WHERE message_id IN (SELECT id FROM messages WHERE conversation_id = ?)",
    );
    this.#failRunning = db.prepare(
      `UPDATE exchanges SET json = json_set(json, '$.status', 'failed')
       WHERE json_extract(json, '$.status') = 'running'`,
    );
    // An exchange deleted while it ran (its conversation was) takes no more events.
    this.#addRawEvent = db.prepare(
      `INSERT OR REPLACE INTO raw_events SELECT ?, ?, ?, ?, ?, ?
       WHERE EXISTS (SELECT 1 FROM exchanges WHERE id = ?)`,
    );
    this.#rawEvents = db.prepare("SELECT * FROM raw_events WHERE exchange_id = ? ORDER BY seq");
    this.#writeQueued = () =>
      transaction(db, () => {
        const exchanges = [...this.#pendingExchanges.values()];
        const events = this.#pendingEvents;
        this.#pendingExchanges.clear();
        this.#pendingEvents = [];
        for (const { exchange, botQueryId } of exchanges) this.#write(exchange, botQueryId);
        for (const event of events) {
          this.#addRawEvent.run(
            event.exchangeId,
            event.seq,
            event.atMs,
            event.event,
            event.data,
            event.violation,
            event.exchangeId,
          );
        }
      });
  }

  /**
   * Inserts or replaces the exchange now, in one transaction with everything queued. `botQueryId` is
   * the `bot_query_id` its request carried.
   */
  save(exchange: ExchangeRecord, botQueryId: string | null = null): void {
    this.#pendingExchanges.set(exchange.id, { exchange, botQueryId });
    this.flush();
  }

  /**
   * Queues the exchange as it will stand when the queue is written (the object is read then, not now):
   * for progress the inspector shows while the exchange runs.
   */
  saveSoon(exchange: ExchangeRecord, botQueryId: string | null = null): void {
    this.#pendingExchanges.set(exchange.id, { exchange, botQueryId });
    this.#scheduleFlush();
  }

  /** Queues a raw event of an exchange already saved. */
  addRawEvent(event: RawEventRecord): void {
    this.#pendingEvents.push(event);
    this.#scheduleFlush();
  }

  /** Writes everything queued, in one transaction. */
  flush(): void {
    if (this.#pendingExchanges.size > 0 || this.#pendingEvents.length > 0) this.#writeQueued();
  }

  get(id: string): ExchangeRecord | undefined {
    this.flush();
    const row = this.#get.get(id) as { json: string } | undefined;
    return row && (JSON.parse(row.json) as ExchangeRecord);
  }

  /** The exchanges caused by one bot message, oldest first. */
  listForMessage(messageId: string): ExchangeRecord[] {
    this.flush();
    const rows = this.#listForMessage.all(messageId) as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as ExchangeRecord);
  }

  /** The exchange whose request carried this `bot_query_id`, for cost calls. */
  findByBotQueryId(botQueryId: string): ExchangeRecord | undefined {
    this.flush();
    const row = this.#findByBotQueryId.get(botQueryId) as { json: string } | undefined;
    return row && (JSON.parse(row.json) as ExchangeRecord);
  }

  /** Deletes the exchanges (and their raw events) of every message of a conversation. */
  deleteForConversation(conversationId: string): void {
    this.flush();
    this.#deleteForConversation.run(conversationId);
  }

  /** Marks every exchange still running as failed: at start, those are a killed simulator's. */
  failRunning(): void {
    this.flush();
    this.#failRunning.run();
  }

  rawEvents(exchangeId: string): RawEventRecord[] {
    this.flush();
    const rows = this.#rawEvents.all(exchangeId) as RawEventRow[];
    return rows.map((row) => ({
      exchangeId: row.exchange_id,
      seq: row.seq,
      atMs: row.at_ms,
      event: row.event,
      data: row.data,
      violation: row.violation,
    }));
  }

  #write(exchange: ExchangeRecord, botQueryId: string | null): void {
    this.#save.run(exchange.id, exchange.messageId, botQueryId, JSON.stringify(exchange), exchange.startedAt);
  }

  /**
   * setImmediate runs after the I/O callbacks of the current turn, so the events that arrived in it
   * have been forwarded (written to the caller's socket) before any of them is written here.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (!this.#db.isOpen) return;
      try {
        this.flush();
      } catch (error) {
        console.error("[poekit simulator] could not record what a bot sent:", error);
      }
    });
  }
}
