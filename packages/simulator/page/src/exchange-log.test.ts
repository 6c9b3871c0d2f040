import { describe, expect, it } from "vitest";
import type { ExchangeRecord, RawEventRecord } from "../../src/model.ts";
import { ExchangeLog } from "./exchange-log.ts";

const exchange = (id: string, fields: Partial<ExchangeRecord> = {}): ExchangeRecord => ({
  id,
  messageId: `m-${id}`,
  parentId: null,
  caller: { kind: "simulator" },
  botName: "Bot",
  request: {},
  status: "running",
  httpStatus: 200,
  contentType: "text/event-stream",
  startedAt: 0,
  timings: { firstByteMs: null, firstTextMs: null, doneMs: null },
  violations: [],
  eventCount: 0,
  textLength: 0,
  ...fields,
});

const event = (exchangeId: string, seq: number, data = "{}"): RawEventRecord => ({
  exchangeId,
  seq,
  atMs: seq,
  event: "text",
  data,
  violation: null,
});

const events = (exchangeId: string, count: number) =>
  Array.from({ length: count }, (_, seq) => event(exchangeId, seq));

describe("ExchangeLog", () => {
  it("keeps raw events sorted by seq, whatever order they arrive in, and replaces repeats", () => {
    const log = new ExchangeLog();
    log.addEvents([event("x", 2), event("x", 0)]);
    log.addEvents([event("x", 1), event("x", 2, '{"again":true}')]);
    expect(log.eventsOf("x").map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(log.eventsOf("x")[2]?.data).toBe('{"again":true}');
    expect(log.size).toBe(3);
  });

  it("never lets a fetched snapshot replace a live exchange further along", () => {
    const log = new ExchangeLog();
    log.upsert(exchange("x", { status: "complete", eventCount: 5 }));
    log.upsert(exchange("x", { status: "running", eventCount: 2 }), true);
    expect(log.of("m-x")[0]?.status).toBe("complete");
    log.upsert(exchange("x", { status: "running", eventCount: 9 }));
    expect(log.of("m-x")[0]?.status).toBe("running");
  });

  it("drops the exchanges updated longest ago beyond its exchange limit, and says whose they were", () => {
    const dropped: string[] = [];
    const log = new ExchangeLog((id) => dropped.push(id), { exchanges: 2, events: 1000 });
    for (const id of ["a", "b", "c"]) {
      log.upsert(exchange(id));
      log.addEvents(events(id, 3));
    }
    expect(dropped).toEqual(["m-a"]);
    expect(log.eventsOf("a")).toEqual([]);
    expect(log.size).toBe(6);
  });

  it("stays within its raw-event budget when answers have 10,000 events each", () => {
    const dropped: string[] = [];
    const log = new ExchangeLog((id) => dropped.push(id), { exchanges: 400, events: 25_000 });
    for (const id of ["a", "b", "c", "d"]) {
      log.upsert(exchange(id));
      log.addEvents(events(id, 10_000));
      expect(log.size).toBeLessThanOrEqual(25_000);
    }
    expect(dropped).toEqual(["m-a", "m-b"]);
    expect(log.eventsOf("d")).toHaveLength(10_000);
    expect(log.of("m-a")).toEqual([]);
  });

  it("keeps the newest exchange's events even when they alone exceed the budget", () => {
    const log = new ExchangeLog(undefined, { exchanges: 400, events: 100 });
    log.addEvents(events("big", 500));
    expect(log.eventsOf("big")).toHaveLength(500);
  });

  it("counts violations by bot message, nested calls included", () => {
    const log = new ExchangeLog();
    const violation = { rule: "missing-done" as const, message: "no done", atMs: 1, seq: null };
    log.upsert(exchange("x", { messageId: "m", violations: [violation] }));
    log.upsert(exchange("y", { messageId: "m", parentId: "x", violations: [violation, violation] }));
    expect(log.violationCounts().get("m")).toBe(3);
  });
});
