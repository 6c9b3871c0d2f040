import { randomBytes } from "node:crypto";
import type { SimulatorDatabase, Statement } from "./database.js";

/** A stored file: one a user attached or one a bot uploaded. */
export interface StoredFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  createdAt: number;
}

/** The `files` table. Files live in the database so that `--db :memory:` keeps nothing on disk. */
export class FilesStore {
  readonly #put: Statement;
  readonly #get: Statement;
  readonly #data: Statement;

  constructor(db: SimulatorDatabase) {
    // Node 22 binds an empty array with no memory behind it (an empty upload's) as NULL, not as x''.
    this.#put = db.prepare(
      "INSERT INTO files (id, name, content_type, size, data, created_at) VALUES (?, ?, ?, ?, coalesce(?, x''), ?)",
    );
    this.#get = db.prepare("SELECT id, name, content_type, size, created_at FROM files WHERE id = ?");
    this.#data = db.prepare("SELECT data FROM files WHERE id = ?");
  }

  /** Stores the bytes under a generated id (never a name the client chose). */
  put(file: { name: string; contentType: string; data: Uint8Array }): StoredFile {
    const stored: StoredFile = {
      id: randomBytes(16).toString("hex"),
      name: file.name,
      contentType: file.contentType,
      size: file.data.byteLength,
      createdAt: Date.now(),
    };
    this.#put.run(stored.id, stored.name, stored.contentType, stored.size, file.data, stored.createdAt);
    return stored;
  }

  get(id: string): StoredFile | undefined {
    const row = this.#get.get(id) as
      | { id: string; name: string; content_type: string; size: number; created_at: number }
      | undefined;
    return (
      row && {
        id: row.id,
        name: row.name,
        contentType: row.content_type,
        size: row.size,
        createdAt: row.created_at,
      }
    );
  }

  /** The bytes, in an array of their own (SQLite hands out a copy). */
  data(id: string): Uint8Array<ArrayBuffer> | undefined {
    const row = this.#data.get(id) as { data: Uint8Array<ArrayBuffer> } | undefined;
    return row?.data;
  }
}
