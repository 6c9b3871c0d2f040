import type { SimulatorDatabase, Statement } from "./database.js";

/** Single values the simulator keeps between runs (the balance, the URL-signing secret). */
export class KeyValueStore {
  readonly #get: Statement;
  readonly #set: Statement;

  constructor(db: SimulatorDatabase) {
    this.#get = db.prepare("SELECT value FROM settings_kv WHERE key = ?");
    this.#set = db.prepare(
      "INSERT INTO settings_kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    );
  }

  get(key: string): string | undefined {
    const row = this.#get.get(key) as { value: string } | undefined;
    return row?.value;
  }

  set(key: string, value: string): void {
    this.#set.run(key, value);
  }
}
