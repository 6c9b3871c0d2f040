import type { DatabaseSync } from "node:sqlite";

/**
 * Runs `work` in a transaction: committed when it returns, rolled back when it (or the commit) throws.
 * Called within another transaction it runs in a savepoint, so that a failure the caller catches undoes
 * only the inner work. `work` must be synchronous: a promise would be committed before it settles.
 *
 * @example
 * const deleted = transaction(db, () => remove(id));
 */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  const nested = db.isTransaction;
  db.exec(nested ? "SAVEPOINT nested" : "BEGIN");
  try {
    const result = work();
    if (result instanceof Promise) throw new TypeError("A transaction's work must be synchronous.");
    db.exec(nested ? "RELEASE nested" : "COMMIT");
    return result;
  } catch (error) {
    // SQLite rolls a transaction back by itself after some errors (a full disk): nothing is left to undo.
    if (db.isTransaction) db.exec(nested ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK");
    throw error;
  }
}
