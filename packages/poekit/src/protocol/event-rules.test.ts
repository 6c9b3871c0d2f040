import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RECORDED_DIR, readRecordedHttp } from "../test-support/recorded-http.js";
import {
  checkResponseEvent,
  checkResponseEventData,
  describeEventViolation,
  EVENT_RULES,
  type EventViolation,
  isEventViolation,
  KEEP_ALIVE,
  ResponseSequence,
} from "./event-rules.js";
import type { ResponseEvent } from "./response-events.js";
import { SseDecoder, type SseEvent } from "./sse-decoder.js";

const sse = (event: string, data: string): SseEvent => ({ event, data });

describe("checkResponseEvent", () => {
  it.each<[string, string, ResponseEvent]>([
    ["text", '{"text":"Hi"}', { event: "text", data: { text: "Hi" } }],
    ["text", '{"text": "Hi"}', { event: "text", data: { text: "Hi" } }],
    ["text", '{"text":"say \\"hi\\""}', { event: "text", data: { text: 'say "hi"' } }],
    ["text", '{"text":"", "index": 2}', { event: "text", data: { text: "", index: 2 } }],
    ["replace_response", '{"text":"Again"}', { event: "replace_response", data: { text: "Again" } }],
    ["suggested_reply", '{"text":"More"}', { event: "suggested_reply", data: { text: "More" } }],
    ["meta", '{"content_type":null}', { event: "meta", data: { content_type: null } }],
    ["json", "[1,2]", { event: "json", data: [1, 2] }],
    ["json", "5", { event: "json", data: 5 }],
    ["data", '{"metadata":"{}"}', { event: "data", data: { metadata: "{}" } }],
    [
      "file",
      '{"url":"u","content_type":"image/png","name":"a.png","inline_ref":null}',
      { event: "file", data: { url: "u", content_type: "image/png", name: "a.png", inline_ref: null } },
    ],
    ["error", '{"allow_retry":null}', { event: "error", data: { allow_retry: null } }],
    ["done", "{}", { event: "done", data: {} }],
    ["done", "null", { event: "done", data: null }],
  ])("accepts %s %s", (name, data, expected) => {
    expect(checkResponseEvent(sse(name, data))).toEqual(expected);
  });

  it.each<[string, string, EventViolation]>([
    ["txt", "{}", { rule: "unknown-event", name: "txt" }],
    ["message", "hello", { rule: "unknown-event", name: "message" }],
    ["text", "not json", { rule: "invalid-json", name: "text" }],
    ["done", "", { rule: "invalid-json", name: "done" }],
    [
      "text",
      '{"text":5}',
      {
        rule: "invalid-event-data",
        name: "text",
        field: "text",
        problem: expect.any(String),
        notAnObject: false,
      },
    ],
    [
      "text",
      '{"text":"a","index":1.5}',
      {
        rule: "invalid-event-data",
        name: "text",
        field: "index",
        problem: expect.any(String),
        notAnObject: false,
      },
    ],
    [
      "replace_response",
      '"just a string"',
      {
        rule: "invalid-event-data",
        name: "replace_response",
        field: "data",
        problem: expect.any(String),
        notAnObject: true,
      },
    ],
    [
      "meta",
      '{"suggested_replies":"yes"}',
      {
        rule: "invalid-event-data",
        name: "meta",
        field: "suggested_replies",
        problem: expect.any(String),
        notAnObject: false,
      },
    ],
    [
      "file",
      '{"url":"u"}',
      {
        rule: "invalid-event-data",
        name: "file",
        field: "content_type",
        problem: expect.any(String),
        notAnObject: false,
      },
    ],
    [
      "data",
      "[]",
      {
        rule: "invalid-event-data",
        name: "data",
        field: "data",
        problem: expect.any(String),
        notAnObject: true,
      },
    ],
    [
      "error",
      '{"allow_retry":"no"}',
      {
        rule: "invalid-event-data",
        name: "error",
        field: "allow_retry",
        problem: expect.any(String),
        notAnObject: false,
      },
    ],
  ])("refuses %s %s", (name, data, expected) => {
    const checked = checkResponseEvent(sse(name, data));
    expect(checked).toEqual(expected);
    expect(isEventViolation(checked)).toBe(true);
  });

  it("reads a value as it reads the same value sent as JSON", () => {
    const cases: Array<[string, unknown]> = [
      ["text", { text: "Hi" }],
      ["text", { text: 5 }],
      ["file", { url: "u" }],
      ["json", "x"],
      ["nope", {}],
    ];
    for (const [name, data] of cases) {
      expect(checkResponseEventData(name, data)).toEqual(checkResponseEvent(sse(name, JSON.stringify(data))));
    }
  });
});

describe("ResponseSequence", () => {
  /** Reads `events` and gives what each became: the event name, the rule broken, or "keep-alive". */
  function run(events: SseEvent[], options: { toolsOffered?: boolean } = {}) {
    const sequence = new ResponseSequence(options);
    const read = events.map((event) => {
      const result = sequence.read(event);
      if (result === KEEP_ALIVE) return "keep-alive";
      return "rule" in result ? result.rule : result.event;
    });
    return { read, sequence };
  }

  const text = sse("text", '{"text":"a"}');
  const done = sse("done", "{}");
  const toolChunk = sse(
    "json",
    '{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}}]}',
  );

  it.each<[string, SseEvent[], { toolsOffered?: boolean }, string[], string[]]>([
    ["a plain answer", [text, done], {}, ["text", "done"], []],
    ["meta first", [sse("meta", "{}"), text, done], {}, ["meta", "text", "done"], []],
    ["meta late", [text, sse("meta", "{}"), done], {}, ["text", "meta-not-first", "done"], []],
    [
      "a ping is no event",
      [sse("ping", ""), sse("meta", "{}"), text, done],
      {},
      ["keep-alive", "meta", "text", "done"],
      [],
    ],
    ["an error is content", [sse("error", "{}"), done], {}, ["error", "done"], []],
    ["an empty text is content", [sse("text", '{"text":""}'), done], {}, ["text", "done"], []],
    [
      "no content",
      [sse("suggested_reply", '{"text":"x"}'), done],
      {},
      ["suggested_reply", "done"],
      ["no-text-or-error"],
    ],
    ["no done", [text], {}, ["text"], ["missing-done"]],
    ["nothing at all", [], {}, [], ["missing-done", "no-text-or-error"]],
    [
      "after done",
      [text, done, text, done],
      {},
      ["text", "done", "event-after-done", "event-after-done"],
      [],
    ],
    ["tool calls when tools were offered", [toolChunk, done], { toolsOffered: true }, ["json", "done"], []],
    ["tool calls when none were", [toolChunk, done], {}, ["json", "done"], ["no-text-or-error"]],
    [
      "json without tool calls",
      [sse("json", '{"choices":[]}'), done],
      { toolsOffered: true },
      ["json", "done"],
      ["no-text-or-error"],
    ],
    [
      "an unknown event counts for meta's place",
      [sse("x", "{}"), sse("meta", "{}"), text, done],
      {},
      ["unknown-event", "meta-not-first", "text", "done"],
      [],
    ],
  ])("%s", (_name, events, options, expected, brokenAtEnd) => {
    const { read, sequence } = run(events, options);
    expect(read).toEqual(expected);
    expect(sequence.brokenAtEnd()).toEqual(brokenAtEnd);
  });

  it("counts the events up to done, and those after it", () => {
    const { sequence } = run([sse("ping", ""), text, text, done, text, sse("ping", "")]);
    expect(sequence.position).toBe(3);
    expect(sequence.eventsAfterDone).toBe(1);
    expect(sequence.done).toBe(true);
  });

  it("says where a late meta came", () => {
    const sequence = new ResponseSequence();
    sequence.read(text);
    expect(sequence.read(sse("meta", "{}"))).toEqual({ rule: "meta-not-first", name: "meta", position: 2 });
  });

  const recorded = readdirSync(RECORDED_DIR).filter(
    (name) => name.startsWith("response-") && !name.startsWith("response-settings"),
  );

  it.each(recorded)("recorded fastapi_poe response %s breaks no rule", (name) => {
    const sequence = new ResponseSequence({ toolsOffered: name === "response-model-tool-calls.http" });
    const decoder = new SseDecoder();
    const results = [...decoder.push(readRecordedHttp(name).body), ...decoder.end()].map((event) =>
      sequence.read(event),
    );
    expect(results.filter((result) => result !== KEEP_ALIVE && isEventViolation(result))).toEqual([]);
    expect(sequence.brokenAtEnd()).toEqual([]);
  });
});

describe("EVENT_RULES", () => {
  it("fails a response whose data is not JSON or that never ends, everywhere", () => {
    expect(EVENT_RULES["invalid-json"]).toEqual({ poe: "fail-response", client: "fail-response" });
    expect(EVENT_RULES["missing-done"]).toEqual({ poe: "fail-response", client: "fail-response" });
  });

  it("tolerates only unknown events, which the spec asks Poe to ignore", () => {
    const tolerated = Object.entries(EVENT_RULES).filter(([, policy]) => policy.tolerated === true);
    expect(tolerated.map(([rule]) => rule)).toEqual(["unknown-event"]);
  });

  it("has the client stricter than Poe on bad data and more lenient on an empty answer", () => {
    expect(EVENT_RULES["invalid-event-data"]).toEqual({ poe: "skip-event", client: "fail-response" });
    expect(EVENT_RULES["no-text-or-error"]).toEqual({
      poe: "fail-response",
      client: "report-only",
      clientWithTools: "not-checked",
    });
  });
});

describe("describeEventViolation", () => {
  it.each<[EventViolation, string]>([
    [{ rule: "unknown-event", name: "txt" }, 'the event name "txt" is not one of the protocol'],
    [{ rule: "invalid-json", name: "text" }, 'the data of a "text" event is not JSON'],
    [
      { rule: "invalid-event-data", name: "file", field: "url", problem: "missing", notAnObject: false },
      'the data of a "file" event has a wrong "url" (missing)',
    ],
    [
      { rule: "invalid-event-data", name: "data", field: "data", problem: "x", notAnObject: true },
      'the data of a "data" event is not a JSON object',
    ],
    [{ rule: "meta-not-first", name: "meta", position: 3 }, 'a "meta" event came as event 3, not first'],
    [{ rule: "event-after-done", name: "text" }, 'a "text" event came after "done"'],
  ])("%j", (violation, sentence) => {
    expect(describeEventViolation(violation)).toBe(sentence);
  });
});
