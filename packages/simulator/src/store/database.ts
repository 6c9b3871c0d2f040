import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** The open SQLite database of one simulator. */
export type SimulatorDatabase = Database.Database;

/** A statement prepared once on a {@link SimulatorDatabase} and run as often as needed. */
export type Statement = Database.Statement<unknown[]>;

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
  const db = new Database(file);
  // WAL with one transaction per finished message: a killed simulator keeps every completed message.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  migrate(db);
  return db;
}

function migrate(db: SimulatorDatabase): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The simulator database was written by a newer poekit (schema ${current}, this one knows ${MIGRATIONS.length}). Use another --db file.`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
