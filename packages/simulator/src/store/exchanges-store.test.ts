import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExchangeRecord, RawEventRecord } from "../model.js";
import { openStore, type Store } from "./store.js";

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) if (store.db.isOpen) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(file = ":memory:"): Store {
  const store = openStore(file);
  stores.push(store);
  return store;
}

function exchange(id: string, messageId = "m-1"): ExchangeRecord {
  return {
    id,
    messageId,
    parentId: null,
    caller: { kind: "simulator" },
    botName: "Echo",
    request: { type: "query" },
    status: "running",
    httpStatus: null,
    contentType: null,
    startedAt: 1,
    timings: { firstByteMs: null, firstTextMs: null, doneMs: null },
    violations: [],
    eventCount: 0,
    textLength: 0,
  };
}

function rawEvent(exchangeId: string, seq: number): RawEventRecord {
  return { exchangeId, seq, atMs: seq, event: "text", data: `{"text":"${seq}"}`, violation: null };
}

/** What is in the database, read past the store (and so past its queue). */
function stored(store: Store) {
  return {
    events: (store.db.prepare("SELECT count(*) AS n FROM raw_events").get() as { n: number }).n,
    json: (store.db.prepare("SELECT json FROM exchanges").all() as { json: string }[]).map(
      (row) => JSON.parse(row.json) as ExchangeRecord,
    ),
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("ExchangesStore", () => {
  it("writes an exchange at once, and its raw events and progress after the current turn", async () => {
    const store = open();
    const record = exchange("x-1");
    store.exchanges.save(record);
    expect(stored(store).json.map((row) => row.status)).toEqual(["running"]);

    store.exchanges.addRawEvent(rawEvent("x-1", 0));
    store.exchanges.addRawEvent(rawEvent("x-1", 1));
    record.httpStatus = 200;
    store.exchanges.saveSoon(record);
    expect(stored(store).events).toBe(0);
    expect(stored(store).json[0]?.httpStatus).toBeNull();

    await nextTurn();
    expect(stored(store).events).toBe(2);
    expect(stored(store).json[0]?.httpStatus).toBe(200);
  });

  it("shows every read what was queued before it", () => {
    const store = open();
    const record = exchange("x-1");
    store.exchanges.save(record);
    store.exchanges.addRawEvent(rawEvent("x-1", 0));
    record.violations.push({ rule: "unknown-event", message: "?", atMs: 0, seq: 0 });
    store.exchanges.saveSoon(record, "bq-1");

    expect(store.exchanges.rawEvents("x-1").map((event) => event.seq)).toEqual([0]);
    expect(store.exchanges.get("x-1")?.violations).toHaveLength(1);
    expect(store.exchanges.listForMessage("m-1").map((each) => each.id)).toEqual(["x-1"]);
  });

  it("writes what is queued with the exchange when it is saved, and when the store closes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "poekit-exchanges-"));
    dirs.push(dir);
    const file = path.join(dir, "simulator.db");
    const store = open(file);
    const record = exchange("x-1");
    store.exchanges.save(record);
    store.exchanges.addRawEvent(rawEvent("x-1", 0));
    record.status = "complete";
    store.exchanges.save(record);
    expect(stored(store).events).toBe(1);

    store.exchanges.addRawEvent(rawEvent("x-1", 1));
    store.close();
    const again = open(file);
    expect(again.exchanges.rawEvents("x-1").map((event) => event.seq)).toEqual([0, 1]);
    expect(again.exchanges.get("x-1")?.status).toBe("complete");
  });

  it("drops the raw events of an exchange deleted in the meantime, without an error", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const store = open();
      store.db.exec(`INSERT INTO conversations VALUES ('c-1', '{}', 1);
        INSERT INTO messages VALUES ('m-1', 'c-1', 1, '{}');`);
      store.exchanges.save(exchange("x-1"));
      store.exchanges.deleteForConversation("c-1");
      store.exchanges.addRawEvent(rawEvent("x-1", 0));
      await nextTurn();
      expect(stored(store).events).toBe(0);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});
