import { BotsStore } from "./bots-store.js";
import { ConversationsStore } from "./conversations-store.js";
import { openDatabase, type SimulatorDatabase } from "./database.js";
import { ExchangesStore } from "./exchanges-store.js";
import { FilesStore } from "./files-store.js";
import { KeyValueStore } from "./kv-store.js";
import { MessagesStore } from "./messages-store.js";

/** Every table of the simulator's database, one store each. */
export interface Store {
  db: SimulatorDatabase;
  bots: BotsStore;
  conversations: ConversationsStore;
  messages: MessagesStore;
  exchanges: ExchangesStore;
  files: FilesStore;
  kv: KeyValueStore;
  /** Writes what is still queued, then closes the database. */
  close(): void;
}

/**
 * Opens the simulator's database (a file path, or `":memory:"`).
 *
 * @example
 * const store = openStore(":memory:");
 * store.bots.list();
 */
export function openStore(file: string): Store {
  const db = openDatabase(file);
  const exchanges = new ExchangesStore(db);
  return {
    db,
    bots: new BotsStore(db),
    conversations: new ConversationsStore(db),
    messages: new MessagesStore(db),
    exchanges,
    files: new FilesStore(db),
    kv: new KeyValueStore(db),
    close: () => {
      exchanges.flush();
      db.close();
    },
  };
}
