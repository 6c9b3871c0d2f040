import { mkdirSync } from "node:fs";
import path from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { loadSqlite } from "./sqlite.js";
import { transaction } from "./transaction.js";

/** The open SQLite database of one simulator. */
export type SimulatorDatabase = DatabaseSync;

/** A statement prepared once on a {@link SimulatorDatabase} and run as often as needed. */
export type Statement = StatementSync;

// Each step brings a database from version N to N+1; `user_version` records how far it got.
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE bots (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    access_key TEXT,
    settings_json TEXT NOT NULL DEFAULT '{}',
    settings_updated_at INTEGER,
    settings_error TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX messages_by_conversation ON messages(conversation_id, position);
  CREATE TABLE exchanges (
    id TEXT PRIMARY KEY,
    message_id TEXT,
    bot_query_id TEXT,
    json TEXT NOT NULL,
    started_at INTEGER NOT NULL
  );
  CREATE INDEX exchanges_by_message ON exchanges(message_id, started_at);
  CREATE INDEX exchanges_by_query ON exchanges(bot_query_id);
  CREATE TABLE raw_events (
    exchange_id TEXT NOT NULL REFERENCES exchanges(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    event TEXT NOT NULL,
    data TEXT NOT NULL,
    violation TEXT,
    PRIMARY KEY (exchange_id, seq)
  );
  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE settings_kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];

/**
 * Opens (creating it and its folder when needed) the database at `file`, or an in-memory one for
 * `":memory:"`, and brings its schema up to date.
 *
 * @example
 * const db = openDatabase(":memory:");
 */
export function openDatabase(file: string): SimulatorDatabase {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(file);
  // WAL with one transaction per finished message: a killed simulator keeps every completed message.
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  // Another process on the same file (a second simulator, a sqlite3 shell) may hold a lock for a
  // moment: wait up to 5 s for it rather than fail at once.
  db.exec("PRAGMA busy_timeout = 5000");
  migrate(db);
  return db;
}

function migrate(db: SimulatorDatabase): void {
  const { user_version: current } = db.prepare("PRAGMA user_version").get() as { user_version: number };
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The simulator database was written by a newer poekit (schema ${current}, this one knows ${MIGRATIONS.length}). Use another --db file.`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    transaction(db, () => {
      db.exec(MIGRATIONS[version] as string);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}
