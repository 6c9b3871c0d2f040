import type { ServerResponse } from "node:http";
import { makeApp, PoeBot, type QueryRequest, silentLogger } from "poekit";
import type { ResponseEvent } from "poekit/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  frame,
  type RawRoute,
  type RawSseServer,
  SSE_HEADERS,
  sendSse,
  startRawSseServer,
} from "../../../poekit/src/test-support/raw-sse-server.js";
import type { ExchangeTimings, Violation, ViolationRule } from "../model.js";
import { DONE, QUERY, text } from "../test-support/exchange-fixtures.js";
import { applyEvent, createAnswer } from "./answer-state.js";
import type { ExchangeLimits } from "./exchange-limits.js";
import type { ExchangeRawEvent, ResponseInfo } from "./exchange-observer.js";
import { MAX_VIOLATIONS_PER_RULE } from "./response-grader.js";
import { type ExchangeOutcome, runExchange } from "./run-exchange.js";
import type { ExchangeTarget } from "./target.js";

const KEY = "k".repeat(32);

/** Responses that stay open until the client leaves; each resolves when it closed. */
const closed: Array<Promise<void>> = [];
function untilClosed(response: ServerResponse): void {
  closed.push(new Promise((resolve) => response.on("close", () => resolve())));
}

function manyTexts(count: number): string {
  return Array.from({ length: count }, (_, i) => text(`${i} `)).join("");
}

const ROUTES: Record<string, RawRoute> = {
  Good: ({ response }) =>
    sendSse(
      response,
      frame("meta", '{"content_type":"text/plain","suggested_replies":true}'),
      `${text("Hello")}: ping\r\n\r\n${text(", world")}`,
      frame("suggested_reply", '{"text":"More?"}'),
      frame("data", '{"metadata":"state-1"}'),
      frame(
        "file",
        '{"url":"https://f.test/a.png","content_type":"image/png","name":"a.png","inline_ref":null}',
      ),
      frame("json", '{"choices":[]}'),
      DONE,
    ),
  ErrorOnly: ({ response }) =>
    sendSse(response, frame("error", '{"allow_retry":false,"text":"Upstream down"}'), DONE),
  LegacyPing: ({ response }) => sendSse(response, frame("ping", "2024-01-01 00:00:00"), text("a"), DONE),
  NoDone: ({ response }) => sendSse(response, text("partial")),
  Empty: ({ response }) => sendSse(response),
  LateMeta: ({ response }) =>
    sendSse(response, text("a"), frame("meta", '{"content_type":"text/plain"}'), text("b"), DONE),
  BadJson: ({ response }) => sendSse(response, text("a"), frame("text", '{"text": "b"'), text("c"), DONE),
  BadShape: ({ response }) => sendSse(response, frame("text", '{"text":5}'), text("ok"), DONE),
  Unknown: ({ response }) => sendSse(response, text("a"), frame("purr", '{"sound":"meow"}'), text("b"), DONE),
  ManyUnknown: ({ response }) =>
    sendSse(response, text("a"), frame("purr", '{"sound":"meow"}').repeat(MAX_VIOLATIONS_PER_RULE + 5), DONE),
  NoText: ({ response }) =>
    sendSse(response, frame("suggested_reply", '{"text":"Try"}'), frame("json", '{"a":1}'), DONE),
  Eleven: ({ response }) => sendSse(response, manyTexts(10), DONE),
  TenThousandAndOne: ({ response }) => sendSse(response, manyTexts(10_001), DONE),
  Long: ({ response }) => sendSse(response, text("hello "), text("hello "), text("hello "), DONE),
  Emoji: ({ response }) => sendSse(response, text("😀".repeat(10)), DONE),
  Replaced: ({ response }) =>
    sendSse(response, text("x".repeat(8)), frame("replace_response", '{"text":"short"}'), text("!"), DONE),
  Silent: ({ response }) => untilClosed(response),
  NeverEnding: ({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(text("thinking"));
    untilClosed(response);
  },
  ClosesMidEvent: ({ response }) => sendSse(response, text("a"), 'event: text\r\ndata: {"te'),
  Reset: ({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(text("a"));
    setTimeout(() => response.socket?.destroy(), 20);
  },
  Garbage: ({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x3a, 0xc3]));
  },
  GarbageLines: ({ response }) =>
    sendSse(response, "\u0000\u0001 junk\nmore: junk\n\n\n%%%\r\n\r\n", "event:\r\n\r\n"),
  Html500: ({ response }) => {
    response.writeHead(500, { "content-type": "text/html" });
    response.end("<html><body><h1>Internal   Server Error</h1></body></html>");
  },
  WrongType: ({ response }) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"text":"hi"}');
  },
  AfterDone: ({ response }) => sendSse(response, text("a"), DONE, text("late"), text("later")),
  AfterDoneLater: ({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(text("a") + DONE);
    setTimeout(() => response.end(text("late")), 50);
  },
  AfterDoneCut: ({ response }) => sendSse(response, text("a"), DONE, "event: te"),
  DoneThenOpen: ({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(text("a") + DONE);
    untilClosed(response);
  },
  Oversize: ({ response }) => sendSse(response, text("a"), text("x".repeat(5_000)), DONE),
  OversizeThenHang: ({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(text("a") + text("x".repeat(5_000)));
    untilClosed(response);
  },
  Slow: ({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(text("first"));
    const timer = setInterval(() => response.write(text("more")), 20);
    response.on("close", () => clearInterval(timer));
  },
};

let server: RawSseServer;
beforeAll(async () => {
  server = await startRawSseServer(ROUTES);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function target(name: string, accessKey = KEY): ExchangeTarget {
  return { name, url: `${server.baseUrl}${name}`, accessKey };
}

interface Seen {
  outcome: ExchangeOutcome;
  responses: ResponseInfo[];
  raw: ExchangeRawEvent[];
  violations: Violation[];
  events: ResponseEvent[];
  timings: ExchangeTimings[];
}

async function exchange(
  bot: string | ExchangeTarget,
  limits: Partial<ExchangeLimits> = {},
  signal?: AbortSignal,
): Promise<Seen> {
  const seen: Omit<Seen, "outcome"> = { responses: [], raw: [], violations: [], events: [], timings: [] };
  const outcome = await runExchange({
    target: typeof bot === "string" ? target(bot) : bot,
    body: QUERY,
    signal,
    limits,
    observer: {
      onResponse: (info) => seen.responses.push(info),
      onRawEvent: (event) => seen.raw.push(event),
      onViolation: (violation) => seen.violations.push(violation),
      onEvent: (event) => seen.events.push(event),
      onTimings: (timings) => seen.timings.push(timings),
    },
  });
  return { outcome, ...seen };
}

const rules = (outcome: ExchangeOutcome): ViolationRule[] => outcome.violations.map((v) => v.rule);

function answerOf(events: ResponseEvent[]) {
  const answer = createAnswer();
  for (const event of events) applyEvent(answer, event);
  return answer;
}

describe("a well-behaved bot", () => {
  it("gives no violations, and every event in order with its comment", async () => {
    const { outcome, responses, raw, violations, events, timings } = await exchange("Good");
    expect(outcome).toMatchObject({
      httpStatus: 200,
      contentType: "text/event-stream; charset=utf-8",
      violations: [],
      eventCount: 8,
      textLength: "Hello, world".length,
      completed: true,
      aborted: false,
    });
    expect(violations).toEqual([]);
    expect(responses).toEqual([
      { httpStatus: 200, contentType: "text/event-stream; charset=utf-8", firstByteMs: expect.any(Number) },
    ]);
    expect(raw.map((r) => [r.seq, r.event, r.violation])).toEqual([
      [0, "meta", null],
      [1, "text", null],
      [2, ":", null],
      [3, "text", null],
      [4, "suggested_reply", null],
      [5, "data", null],
      [6, "file", null],
      [7, "json", null],
      [8, "done", null],
    ]);
    expect(raw[2]?.data).toBe("ping");
    expect(events.map((e) => e.event)).toEqual([
      "meta",
      "text",
      "text",
      "suggested_reply",
      "data",
      "file",
      "json",
      "done",
    ]);
    expect(answerOf(events)).toMatchObject({
      content: "Hello, world",
      contentType: "text/plain",
      suggestedReplies: ["More?"],
      metadata: "state-1",
      files: [{ url: "https://f.test/a.png", name: "a.png", contentType: "image/png", inlineRef: null }],
      done: true,
    });
    const { firstByteMs, firstTextMs, doneMs } = outcome.timings;
    expect(firstByteMs).not.toBeNull();
    expect(firstTextMs).toBeGreaterThanOrEqual(firstByteMs as number);
    expect(doneMs).toBeGreaterThanOrEqual(firstTextMs as number);
    expect(timings.at(-1)).toEqual(outcome.timings);
    expect(timings.map((t) => [t.firstByteMs !== null, t.firstTextMs !== null, t.doneMs !== null])).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });

  it("sends the body as JSON with the access key", async () => {
    await exchange("Good");
    const [withKey] = server.queries;
    expect(withKey?.body).toEqual(QUERY);
    expect(withKey?.headers).toMatchObject({
      "content-type": "application/json",
      accept: "text/event-stream",
      authorization: `Bearer ${KEY}`,
    });
  });

  it("accepts an answer that is only an error event", async () => {
    const { outcome, events } = await exchange("ErrorOnly");
    expect(outcome.violations).toEqual([]);
    expect(outcome.completed).toBe(true);
    expect(answerOf(events).error).toEqual({
      text: "Upstream down",
      allowRetry: false,
      errorType: null,
      rawResponse: null,
    });
  });

  it("takes the legacy ping event as a keep-alive, not an event", async () => {
    const { outcome, raw } = await exchange("LegacyPing");
    expect(outcome.violations).toEqual([]);
    expect(outcome.eventCount).toBe(2);
    expect(raw[0]).toMatchObject({ event: "ping", violation: null });
  });
});

describe("a bot served in-process through makeApp", () => {
  class Echo extends PoeBot {
    override async *getResponse(request: QueryRequest) {
      yield `You said: ${request.query.at(-1)?.content}`;
    }
  }
  class Broken extends PoeBot {
    // biome-ignore lint/correctness/useYield: the bot fails before it answers anything.
    override async *getResponse(): AsyncGenerator<string> {
      throw new Error("boom");
    }
  }

  function inProcess(bot: PoeBot, accessKey: string | null): ExchangeTarget {
    const app = makeApp(
      bot,
      accessKey
        ? { accessKey, logger: silentLogger, env: {} }
        : { allowWithoutKey: true, logger: silentLogger, env: {} },
    );
    return {
      name: "InProcess",
      url: "http://builtin.test/",
      accessKey: accessKey ?? "g".repeat(32),
      fetch: (input, init) => app.fetch(new Request(input, init)),
    };
  }

  it("streams through the target's fetch without violations", async () => {
    const { outcome, events } = await exchange(inProcess(new Echo(), KEY));
    expect(outcome).toMatchObject({ httpStatus: 200, violations: [], completed: true });
    expect(answerOf(events).content).toBe("You said: hi");
  });

  it("passes on the error event of a bot that throws, which breaks no rule", async () => {
    const { outcome, events } = await exchange(inProcess(new Broken(), null));
    expect(outcome.violations).toEqual([]);
    expect(answerOf(events).error?.allowRetry).toBe(false);
  });

  it("grades the app's 401 for a wrong key as an HTTP status violation", async () => {
    const bot = inProcess(new Echo(), KEY);
    const { outcome } = await exchange({ ...bot, accessKey: "w".repeat(32) });
    expect(rules(outcome)).toEqual(["http-status"]);
    expect(outcome.violations[0]?.message).toContain("401");
  });

  it("gives up on an in-process fetch that never answers and ignores its signal", async () => {
    const { outcome } = await exchange(
      {
        name: "Hanging",
        url: "http://builtin.test/",
        accessKey: KEY,
        fetch: () => new Promise(() => undefined),
      },
      { firstByteMs: 100 },
    );
    expect(rules(outcome)).toEqual(["first-byte-timeout"]);
  });

  it("stops an endless in-process bot at the total timeout", async () => {
    let stopped: () => void = () => undefined;
    const botStopped = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    class Endless extends PoeBot {
      override async *getResponse() {
        try {
          while (true) {
            yield "more ";
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        } finally {
          stopped();
        }
      }
    }
    const { outcome } = await exchange(inProcess(new Endless(), null), { totalMs: 200 });
    expect(rules(outcome)).toEqual(["total-timeout"]);
    expect(outcome.eventCount).toBeGreaterThan(0);
    await botStopped;
  });

  it("counts a fetch function that throws as a failed connection", async () => {
    const { outcome } = await exchange({
      name: "Thrower",
      url: "http://builtin.test/",
      accessKey: KEY,
      fetch: () => {
        throw new Error("no such app");
      },
    });
    expect(rules(outcome)).toEqual(["connection-failed"]);
    expect(outcome.violations[0]?.message).toContain("no such app");
    expect(outcome.httpStatus).toBeNull();
  });
});

describe("rules about the events", () => {
  it("missing-done: the stream ends without done", async () => {
    const { outcome, events } = await exchange("NoDone");
    expect(rules(outcome)).toEqual(["missing-done"]);
    expect(outcome.completed).toBe(false);
    expect(answerOf(events).content).toBe("partial");
  });

  it("an empty stream lacks both done and content", async () => {
    const { outcome } = await exchange("Empty");
    expect(rules(outcome)).toEqual(["missing-done", "no-text-or-error"]);
  });

  it("meta-not-first: a late meta is flagged and not applied", async () => {
    const { outcome, raw, events } = await exchange("LateMeta");
    expect(rules(outcome)).toEqual(["meta-not-first"]);
    expect(outcome.violations[0]).toMatchObject({ seq: 1 });
    expect(raw[1]).toMatchObject({ event: "meta", violation: "meta-not-first" });
    expect(events.map((e) => e.event)).toEqual(["text", "text", "done"]);
    expect(outcome.completed).toBe(true);
    expect(answerOf(events).contentType).toBe("text/markdown");
  });

  it("invalid-json: reading stops and the exchange failed", async () => {
    const { outcome, raw, events } = await exchange("BadJson");
    expect(rules(outcome)).toEqual(["invalid-json"]);
    expect(outcome.violations[0]?.message).toContain('{"text": "b"');
    expect(raw.map((r) => r.violation)).toEqual([null, "invalid-json"]);
    expect(events.map((e) => e.event)).toEqual(["text"]);
    expect(outcome).toMatchObject({ completed: false, eventCount: 2 });
  });

  it("invalid-event-data: the event is skipped and reading goes on", async () => {
    const { outcome, events } = await exchange("BadShape");
    expect(rules(outcome)).toEqual(["invalid-event-data"]);
    expect(outcome.violations[0]?.message).toMatch(/"text" event has the wrong shape \(text:/);
    expect(events.map((e) => e.event)).toEqual(["text", "done"]);
    expect(outcome.completed).toBe(true);
  });

  it("unknown-event: ignored, reading goes on", async () => {
    const { outcome, events } = await exchange("Unknown");
    expect(rules(outcome)).toEqual(["unknown-event"]);
    expect(outcome.violations[0]?.message).toContain('"purr"');
    expect(answerOf(events).content).toBe("ab");
    expect(outcome.completed).toBe(true);
  });

  it("records one rule a bounded number of times; every raw event still names it", async () => {
    const { outcome, raw } = await exchange("ManyUnknown");
    expect(outcome.violations).toHaveLength(MAX_VIOLATIONS_PER_RULE);
    expect(raw.filter((event) => event.violation === "unknown-event")).toHaveLength(
      MAX_VIOLATIONS_PER_RULE + 5,
    );
    expect(outcome.completed).toBe(true);
  });

  it("no-text-or-error: done arrives but nothing was said", async () => {
    const { outcome } = await exchange("NoText");
    expect(rules(outcome)).toEqual(["no-text-or-error"]);
    expect(outcome.completed).toBe(true);
  });

  it("too-many-events, with a lowered limit: reported once, raw events stop after the limit + 1", async () => {
    const { outcome, raw, events } = await exchange("Eleven", { maxEvents: 6 });
    expect(rules(outcome)).toEqual(["too-many-events"]);
    expect(outcome.violations[0]?.seq).toBe(6);
    expect(raw).toHaveLength(7);
    expect(raw[6]?.violation).toBe("too-many-events");
    expect(outcome.eventCount).toBe(11);
    expect(events).toHaveLength(11);
  });

  it("stops reading a response at twice the event limit", async () => {
    const { outcome, events } = await exchange("Eleven", { maxEvents: 4 });
    expect(rules(outcome)).toEqual(["too-many-events", "too-many-events"]);
    expect(outcome.violations[1]?.message).toMatch(/stopped reading/);
    expect(outcome.completed).toBe(false);
    expect(events).toHaveLength(8);
  });

  it("stops reading a response at twice the character limit", async () => {
    const { outcome } = await exchange("Long", { maxCharacters: 5 });
    expect(rules(outcome)).toEqual(["too-many-characters", "too-many-characters"]);
    expect(outcome.completed).toBe(false);
  });

  it("too-many-events at Poe's real limit of 10,000", async () => {
    const started = performance.now();
    const { outcome, raw } = await exchange("TenThousandAndOne");
    const elapsed = performance.now() - started;
    expect(rules(outcome)).toEqual(["too-many-events"]);
    expect(outcome.eventCount).toBe(10_002);
    expect(raw).toHaveLength(10_001);
    expect(outcome.completed).toBe(true);
    // Generous: a regression to quadratic work would take far longer.
    expect(elapsed).toBeLessThan(10_000);
  });

  it("too-many-characters: reported once, on the event that crossed the limit", async () => {
    const { outcome } = await exchange("Long", { maxCharacters: 10 });
    expect(rules(outcome)).toEqual(["too-many-characters"]);
    expect(outcome.violations[0]?.seq).toBe(1);
    expect(outcome.textLength).toBe(18);
  });

  it("counts characters as code points and the text as it stands after a replacement", async () => {
    const emoji = await exchange("Emoji", { maxCharacters: 10 });
    expect(emoji.outcome.violations).toEqual([]);
    expect(emoji.outcome.textLength).toBe(10);
    const replaced = await exchange("Replaced", { maxCharacters: 10 });
    expect(replaced.outcome.violations).toEqual([]);
    expect(replaced.outcome.textLength).toBe(6);
    expect(answerOf(replaced.events).content).toBe("short!");
  });

  it("event-after-done: noticed, the answer stays complete", async () => {
    const { outcome, raw, events } = await exchange("AfterDone");
    expect(rules(outcome)).toEqual(["event-after-done"]);
    expect(outcome.violations[0]).toMatchObject({ seq: 2 });
    expect(raw[2]).toMatchObject({ event: "text", violation: "event-after-done" });
    expect(events.map((e) => e.event)).toEqual(["text", "done"]);
    expect(outcome).toMatchObject({ completed: true, eventCount: 2 });
  });

  it("event-after-done: an event arriving a little later is still noticed", async () => {
    const { outcome } = await exchange("AfterDoneLater", { afterDoneGraceMs: 2_000 });
    expect(rules(outcome)).toEqual(["event-after-done"]);
  });

  it("event-after-done: an unfinished event after done counts too", async () => {
    const { outcome } = await exchange("AfterDoneCut");
    expect(rules(outcome)).toEqual(["event-after-done"]);
    expect(outcome.completed).toBe(true);
  });

  it("stops waiting shortly after done when the bot keeps the connection open", async () => {
    const { outcome } = await exchange("DoneThenOpen", { afterDoneGraceMs: 100 });
    expect(outcome).toMatchObject({ violations: [], completed: true, aborted: false });
    await closed.at(-1);
  });

  it("event-too-large: the stream is abandoned", async () => {
    const { outcome, events } = await exchange("Oversize", { maxEventBytes: 1_000 });
    expect(rules(outcome)).toEqual(["event-too-large"]);
    expect(events.map((e) => e.event)).toEqual(["text"]);
    expect(outcome.completed).toBe(false);
  });

  it("event-too-large is noticed at once even when it shares a chunk with good events and the bot stalls", async () => {
    const { outcome } = await exchange("OversizeThenHang", { maxEventBytes: 1_000, totalMs: 15_000 });
    expect(rules(outcome)).toEqual(["event-too-large"]);
    await closed.at(-1);
  });
});

describe("rules about the transport", () => {
  it("first-byte-timeout: a silent bot is given up on", async () => {
    const { outcome, responses } = await exchange("Silent", { firstByteMs: 200 });
    expect(rules(outcome)).toEqual(["first-byte-timeout"]);
    expect(outcome).toMatchObject({ httpStatus: null, completed: false, aborted: false });
    expect(responses).toEqual([]);
    // The request was really abandoned: the bot sees its client leave.
    await closed.at(-1);
  });

  it("total-timeout: a response that never ends is cut off", async () => {
    const { outcome, events } = await exchange("NeverEnding", { totalMs: 300 });
    expect(rules(outcome)).toEqual(["total-timeout"]);
    expect(outcome.timings.firstTextMs).not.toBeNull();
    expect(outcome.timings.doneMs).toBeNull();
    expect(answerOf(events).content).toBe("thinking");
    expect(outcome.completed).toBe(false);
    await closed.at(-1);
  });

  it("http-status: a 500 HTML page, quoted in the message", async () => {
    const { outcome, responses } = await exchange("Html500");
    expect(rules(outcome)).toEqual(["http-status"]);
    expect(outcome.violations[0]?.message).toContain("500");
    expect(outcome.violations[0]?.message).toContain("<h1>Internal Server Error</h1>");
    expect(outcome).toMatchObject({ httpStatus: 500, contentType: "text/html", completed: false });
    expect(responses[0]?.httpStatus).toBe(500);
  });

  it("content-type: a 200 that is not an event stream", async () => {
    const { outcome } = await exchange("WrongType");
    expect(rules(outcome)).toEqual(["content-type"]);
    expect(outcome.violations[0]?.message).toContain('"application/json"');
    expect(outcome.violations[0]?.message).toContain('{"text":"hi"}');
  });

  it("connection-failed: nothing listens at the URL", async () => {
    const { outcome } = await exchange({ name: "Nobody", url: "http://127.0.0.1:1/", accessKey: KEY });
    expect(rules(outcome)).toEqual(["connection-failed"]);
    expect(outcome.violations[0]?.message).toContain("http://127.0.0.1:1/");
    expect(outcome.httpStatus).toBeNull();
  });

  it("connection-failed: the bot closes in the middle of an event", async () => {
    const { outcome, events } = await exchange("ClosesMidEvent");
    expect(rules(outcome)).toEqual(["connection-failed"]);
    expect(outcome.violations[0]?.message).toContain("middle of an event");
    expect(events.map((e) => e.event)).toEqual(["text"]);
  });

  it("connection-failed: the connection is reset while streaming", async () => {
    const { outcome } = await exchange("Reset");
    expect(rules(outcome)).toEqual(["connection-failed"]);
    expect(outcome.completed).toBe(false);
  });

  it("garbage bytes never throw", async () => {
    // The bytes end inside a line, which reads as a connection closed mid-event.
    const binary = await exchange("Garbage");
    expect(rules(binary.outcome)).toEqual(["connection-failed"]);
    const lines = await exchange("GarbageLines");
    expect(rules(lines.outcome)).toEqual(["missing-done", "no-text-or-error"]);
  });
});

describe("the caller's signal", () => {
  it("ends the exchange without a violation", async () => {
    const controller = new AbortController();
    const seen: ResponseEvent[] = [];
    const outcome = await runExchange({
      target: target("Slow"),
      body: QUERY,
      signal: controller.signal,
      observer: {
        onEvent: (event) => {
          seen.push(event);
          if (seen.length === 3) controller.abort();
        },
      },
    });
    expect(outcome).toMatchObject({ violations: [], aborted: true, completed: false });
    expect(seen).toHaveLength(3);
    await closed.at(-1);
  });

  it("already aborted: nothing is sent", async () => {
    const { outcome } = await exchange("Good", {}, AbortSignal.abort());
    expect(outcome).toMatchObject({ aborted: true, httpStatus: null, violations: [] });
    expect(server.queries).toEqual([]);
  });

  it("aborting while waiting for headers records no first-byte violation", async () => {
    const { outcome } = await exchange("Silent", { firstByteMs: 10_000 }, AbortSignal.timeout(100));
    expect(outcome).toMatchObject({ aborted: true, violations: [] });
    await closed.at(-1);
  });
});

describe("caller bugs", () => {
  it("an observer that throws rejects the exchange, and the bot is let go", async () => {
    const failing = runExchange({
      target: target("NeverEnding"),
      body: QUERY,
      observer: {
        onEvent: () => {
          throw new Error("observer bug");
        },
      },
    });
    await expect(failing).rejects.toThrow("observer bug");
    await closed.at(-1);
  });

  it("rejects a limit that is not usable and a body that is not JSON", async () => {
    await expect(
      runExchange({ target: target("Good"), body: QUERY, limits: { maxEvents: 0 } }),
    ).rejects.toThrow(RangeError);
    await expect(runExchange({ target: target("Good"), body: undefined })).rejects.toThrow(TypeError);
  });
});
