import { makeApp, PoeBot, type ReportErrorRequest, silentLogger } from "poekit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RawSseServer, startRawSseServer } from "../../../poekit/src/test-support/raw-sse-server.js";
import type { Violation, ViolationRule } from "../model.js";
import { MAX_REPORTS_PER_EXCHANGE, reportViolations } from "./report-violations.js";
import { runExchange } from "./run-exchange.js";
import type { ExchangeTarget } from "./target.js";

const KEY = "r".repeat(32);

let server: RawSseServer;
beforeAll(async () => {
  server = await startRawSseServer({
    LateMeta: ({ response }) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end('event: text\ndata: {"text":"a"}\n\nevent: meta\ndata: {}\n\nevent: done\ndata: {}\n\n');
    },
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function target(accessKey = KEY): ExchangeTarget {
  return { name: "Bot", url: `${server.baseUrl}Bot`, accessKey };
}

function violation(rule: ViolationRule, atMs = 10): Violation {
  return { rule, message: `Broke ${rule}.`, atMs, seq: null };
}

describe("reportViolations", () => {
  it("sends one report_error per violation, in order, with the bot's key", async () => {
    const delivered = await reportViolations({
      target: target(),
      violations: [violation("meta-not-first", 5), violation("missing-done", 40)],
      messageId: "m-1",
      exchangeId: "x-1",
    });
    expect(delivered).toBe(2);
    expect(server.reports.map((r) => r.body)).toEqual([
      {
        version: "1.2",
        type: "report_error",
        message: "Broke meta-not-first.",
        metadata: { rule: "meta-not-first", message_id: "m-1", exchange_id: "x-1", at_ms: 5 },
      },
      {
        version: "1.2",
        type: "report_error",
        message: "Broke missing-done.",
        metadata: { rule: "missing-done", message_id: "m-1", exchange_id: "x-1", at_ms: 40 },
      },
    ]);
    expect(server.reports[0]?.headers).toMatchObject({
      authorization: `Bearer ${KEY}`,
      "content-type": "application/json",
    });
  });

  it("sends a null message id as null", async () => {
    await reportViolations({
      target: target(),
      violations: [violation("unknown-event")],
      messageId: null,
      exchangeId: "x-2",
    });
    expect(server.reports[0]?.body.metadata).toMatchObject({ message_id: null });
  });

  it(`sends at most ${MAX_REPORTS_PER_EXCHANGE} reports`, async () => {
    const many = Array.from({ length: 15 }, (_, i) => violation("unknown-event", i));
    const delivered = await reportViolations({
      target: target(),
      violations: many,
      messageId: "m",
      exchangeId: "x",
    });
    expect(delivered).toBe(MAX_REPORTS_PER_EXCHANGE);
    expect(server.reports).toHaveLength(MAX_REPORTS_PER_EXCHANGE);
  });

  it("skips a connection failure when no response ever came, but reports one that happened mid-stream", async () => {
    const failed = [violation("connection-failed")];
    expect(
      await reportViolations({
        target: target(),
        violations: failed,
        httpStatus: null,
        messageId: "m",
        exchangeId: "x",
      }),
    ).toBe(0);
    expect(server.reports).toEqual([]);
    expect(
      await reportViolations({
        target: target(),
        violations: failed,
        httpStatus: 200,
        messageId: "m",
        exchangeId: "x",
      }),
    ).toBe(1);
    expect(server.reports[0]?.body.metadata).toMatchObject({ rule: "connection-failed" });
  });

  it("still reports a first-byte timeout, which has no response either", async () => {
    const delivered = await reportViolations({
      target: target(),
      violations: [violation("first-byte-timeout")],
      httpStatus: null,
      messageId: "m",
      exchangeId: "x",
    });
    expect(delivered).toBe(1);
  });

  it("ignores failures: an unreachable bot and a fetch that throws give 0, never an error", async () => {
    const unreachable = { name: "Gone", url: "http://127.0.0.1:1/", accessKey: KEY };
    const violations = [violation("missing-done"), violation("unknown-event")];
    expect(await reportViolations({ target: unreachable, violations, messageId: "m", exchangeId: "x" })).toBe(
      0,
    );
    const throwing = async () => {
      throw new Error("down");
    };
    expect(
      await reportViolations({
        target: target(),
        violations,
        fetch: throwing,
        messageId: "m",
        exchangeId: "x",
      }),
    ).toBe(0);
  });

  it("does not count a report the bot refused", async () => {
    const refusing = async () => new Response('{"detail":"Invalid access key"}', { status: 401 });
    expect(
      await reportViolations({
        target: target(),
        violations: [violation("missing-done")],
        fetch: refusing,
        messageId: "m",
        exchangeId: "x",
      }),
    ).toBe(0);
  });

  it("stops sending when the signal aborts", async () => {
    const delivered = await reportViolations({
      target: target(),
      violations: [violation("missing-done")],
      signal: AbortSignal.abort(),
      messageId: "m",
      exchangeId: "x",
    });
    expect(delivered).toBe(0);
    expect(server.reports).toEqual([]);
  });

  it("reports what a real exchange found to the bot that broke the rule", async () => {
    const outcome = await runExchange({
      target: { ...target(), url: `${server.baseUrl}LateMeta` },
      body: {},
    });
    expect(outcome.violations.map((v) => v.rule)).toEqual(["meta-not-first"]);
    const delivered = await reportViolations({
      target: { ...target(), url: `${server.baseUrl}LateMeta` },
      violations: outcome.violations,
      httpStatus: outcome.httpStatus,
      messageId: "m-9",
      exchangeId: "x-9",
    });
    expect(delivered).toBe(1);
    expect(server.reports[0]?.path).toBe("/LateMeta");
    expect(server.reports[0]?.body.message).toBe(outcome.violations[0]?.message);
  });

  it("reaches an in-process bot's onError hook through the target's fetch", async () => {
    const received: ReportErrorRequest[] = [];
    class Listener extends PoeBot {
      override async onError(request: ReportErrorRequest) {
        received.push(request);
      }
    }
    const app = makeApp(new Listener(), { accessKey: KEY, env: {}, logger: silentLogger });
    const inProcess: ExchangeTarget = {
      name: "Listener",
      url: "http://builtin.test/",
      accessKey: KEY,
      fetch: (input, init) => app.fetch(new Request(input, init)),
    };
    const delivered = await reportViolations({
      target: inProcess,
      violations: [violation("unknown-event", 7)],
      messageId: "m-3",
      exchangeId: "x-3",
    });
    expect(delivered).toBe(1);
    expect(received[0]).toMatchObject({
      type: "report_error",
      message: "Broke unknown-event.",
      metadata: { rule: "unknown-event", message_id: "m-3", exchange_id: "x-3", at_ms: 7 },
    });
  });
});
