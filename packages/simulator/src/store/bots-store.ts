import type { BotKind } from "../model.js";
import type { SimulatorDatabase, Statement } from "./database.js";

/** A bot as stored, with its access key (which never leaves the server). */
export interface StoredBot {
  name: string;
  kind: BotKind;
  url: string;
  accessKey: string | null;
  /** The settings JSON as the bot sent it. */
  settings: Record<string, unknown>;
  settingsUpdatedAt: number | null;
  settingsError: string | null;
  createdAt: number;
}

// A type rather than an interface, so that the compiler checks it against the rows node:sqlite returns.
type BotRow = {
  name: string;
  kind: BotKind;
  url: string;
  access_key: string | null;
  settings_json: string;
  settings_updated_at: number | null;
  settings_error: string | null;
  created_at: number;
};

/** The `bots` table. Names are matched case-sensitively, as Poe handles are. */
export class BotsStore {
  readonly #upsert: Statement;
  readonly #get: Statement;
  readonly #list: Statement;
  readonly #delete: Statement;
  readonly #setSettings: Statement;
  readonly #setSettingsError: Statement;

  constructor(db: SimulatorDatabase) {
    this.#upsert = db.prepare(
      `INSERT INTO bots (name, kind, url, access_key, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, url = excluded.url, access_key = excluded.access_key`,
    );
    this.#get = db.prepare("SELECT * FROM bots WHERE name = ?");
    this.#list = db.prepare("SELECT * FROM bots ORDER BY created_at, name");
    this.#delete = db.prepare("DELETE FROM bots WHERE name = ?");
    this.#setSettings = db.prepare(
      "UPDATE bots SET settings_json = ?, settings_updated_at = ?, settings_error = NULL WHERE name = ?",
    );
    this.#setSettingsError = db.prepare("UPDATE bots SET settings_error = ? WHERE name = ?");
  }

  /** Adds the bot or replaces its kind, URL and key; its settings stay until fetched again. */
  upsert(bot: Pick<StoredBot, "name" | "kind" | "url" | "accessKey">): StoredBot {
    this.#upsert.run(bot.name, bot.kind, bot.url, bot.accessKey, Date.now());
    return this.get(bot.name) as StoredBot;
  }

  get(name: string): StoredBot | undefined {
    const row = this.#get.get(name) as BotRow | undefined;
    return row && fromRow(row);
  }

  list(): StoredBot[] {
    return (this.#list.all() as BotRow[]).map(fromRow);
  }

  delete(name: string): boolean {
    return this.#delete.run(name).changes > 0;
  }

  setSettings(name: string, settings: Record<string, unknown>): void {
    this.#setSettings.run(JSON.stringify(settings), Date.now(), name);
  }

  setSettingsError(name: string, error: string): void {
    this.#setSettingsError.run(error, name);
  }
}

function fromRow(row: BotRow): StoredBot {
  return {
    name: row.name,
    kind: row.kind,
    url: row.url,
    accessKey: row.access_key,
    settings: JSON.parse(row.settings_json) as Record<string, unknown>,
    settingsUpdatedAt: row.settings_updated_at,
    settingsError: row.settings_error,
    createdAt: row.created_at,
  };
}
