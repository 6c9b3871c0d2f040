import { describe, expect, it } from "vitest";
import { openDatabase } from "./database.js";
import { transaction } from "./transaction.js";

function openNotes() {
  const db = openDatabase(":memory:");
  db.exec("CREATE TABLE notes (text TEXT NOT NULL)");
  const add = (text: string) => db.prepare("INSERT INTO notes VALUES (?)").run(text);
  const notes = () =>
    (db.prepare("SELECT text FROM notes ORDER BY rowid").all() as { text: string }[]).map((row) => row.text);
  return { db, add, notes };
}

describe("transaction", () => {
  it("commits what the work wrote and returns its result", () => {
    const { db, add, notes } = openNotes();
    const result = transaction(db, () => {
      add("a");
      add("b");
      return 2;
    });
    expect(result).toBe(2);
    expect(notes()).toEqual(["a", "b"]);
    expect(db.isTransaction).toBe(false);
  });

  it("rolls everything back and rethrows when the work throws", () => {
    const { db, add, notes } = openNotes();
    const failure = new Error("no");
    expect(() =>
      transaction(db, () => {
        add("a");
        throw failure;
      }),
    ).toThrow(failure);
    expect(notes()).toEqual([]);
    expect(db.isTransaction).toBe(false);
  });

  it("undoes only a nested transaction whose failure the outer one catches", () => {
    const { db, add, notes } = openNotes();
    transaction(db, () => {
      add("outer");
      expect(() =>
        transaction(db, () => {
          add("inner");
          throw new Error("inner fails");
        }),
      ).toThrow("inner fails");
      transaction(db, () => add("second inner"));
    });
    expect(notes()).toEqual(["outer", "second inner"]);
  });

  it("undoes the nested work with the outer when the failure goes on up", () => {
    const { db, add, notes } = openNotes();
    expect(() =>
      transaction(db, () => {
        add("outer");
        transaction(db, () => add("inner"));
        throw new Error("outer fails");
      }),
    ).toThrow("outer fails");
    expect(notes()).toEqual([]);
    expect(db.isTransaction).toBe(false);
  });

  it("rolls back when the commit fails (a deferred constraint)", () => {
    const { db, notes } = openNotes();
    db.exec(`CREATE TABLE parents (id TEXT PRIMARY KEY);
      CREATE TABLE children (parent TEXT REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED);`);
    expect(() => transaction(db, () => db.prepare("INSERT INTO children VALUES ('nobody')").run())).toThrow(
      /FOREIGN KEY/,
    );
    expect(db.isTransaction).toBe(false);
    expect(db.prepare("SELECT count(*) AS n FROM children").get()).toEqual({ n: 0 });
    expect(notes()).toEqual([]);
  });

  it("refuses asynchronous work, writing nothing", async () => {
    const { db, add, notes } = openNotes();
    expect(() =>
      transaction(db, async () => {
        add("a");
      }),
    ).toThrow("must be synchronous");
    expect(notes()).toEqual([]);
  });
});
