import type { SimulatorDatabase } from "./database.js";

/** Single values the simulator keeps between runs (the balance, the URL-signing secret). */
export class KeyValueStore {
  constructor(private readonly db: SimulatorDatabase) {}

  get(key: string): string | undefined {
    const row = this.db.prepare("SELECT value FROM settings_kv WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  set(key: string, value: string): void {
    this.db
      .prepare(
        "INSERT INTO settings_kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(key, value);
  }
}
