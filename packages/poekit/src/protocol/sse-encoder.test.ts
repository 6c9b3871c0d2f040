import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSseStream, SseDecoder, type SseEvent } from "./sse-decoder.js";
import { DONE_EVENT, encodeComment, encodeEvent, encodeEventBytes, PING_COMMENT } from "./sse-encoder.js";

const utf8 = new TextEncoder();

describe("encodeEvent", () => {
  it("writes an event line, one data line of JSON and a blank line, all with CRLF", () => {
    expect(encodeEvent("text", { text: "Hello" })).toBe('event: text\r\ndata: {"text":"Hello"}\r\n\r\n');
    expect(encodeEvent("done", {})).toBe("event: done\r\ndata: {}\r\n\r\n");
    expect(encodeEvent("n", 42)).toBe("event: n\r\ndata: 42\r\n\r\n");
    expect(encodeEvent("s", "x")).toBe('event: s\r\ndata: "x"\r\n\r\n');
    expect(encodeEvent("z", null)).toBe("event: z\r\ndata: null\r\n\r\n");
  });

  it("keeps line breaks inside the data escaped, so the JSON stays on one line", () => {
    const frame = encodeEvent("text", { text: "a\nb\r\nc\rd\u2028e" });
    expect(frame).toBe('event: text\r\ndata: {"text":"a\\nb\\r\\nc\\rd\u2028e"}\r\n\r\n');
    expect(frame.slice(0, -4).split(/\r\n|\r|\n/)).toHaveLength(2);
  });

  it("writes non-ASCII text as is", () => {
    expect(encodeEvent("text", { text: "héllo 🐱" })).toBe(
      'event: text\r\ndata: {"text":"héllo 🐱"}\r\n\r\n',
    );
  });

  it.each(["a\nb", "a\rb", "a\r\nb", "\n", "done\r"])("rejects the event name %j", (name) => {
    expect(() => encodeEvent(name, {})).toThrow(TypeError);
  });

  it("rejects an empty event name, which would be read back as 'message'", () => {
    expect(() => encodeEvent("", {})).toThrow(TypeError);
  });

  it("rejects data without a JSON form instead of writing 'data: undefined'", () => {
    expect(() => encodeEvent("text", undefined)).toThrow(TypeError);
    expect(() => encodeEvent("text", () => 1)).toThrow(TypeError);
    expect(() => encodeEvent("text", Symbol("s"))).toThrow(TypeError);
  });

  it("lets JSON.stringify's own errors through", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeEvent("text", cyclic)).toThrow(TypeError);
    expect(() => encodeEvent("text", { n: 1n })).toThrow(TypeError);
  });
});

describe("encodeComment", () => {
  it("writes a colon, a space, the text and a blank line", () => {
    expect(encodeComment("ping - 2026-11-22 11:47:30")).toBe(": ping - 2026-11-22 11:47:30\r\n\r\n");
    expect(encodeComment("")).toBe(": \r\n\r\n");
  });

  it.each(["a\nb", "a\rb", "a\r\n"])("rejects the comment %j", (text) => {
    expect(() => encodeComment(text)).toThrow(TypeError);
  });
});

describe("constants", () => {
  it("PING_COMMENT is the ping comment frame", () => {
    expect(PING_COMMENT).toBe(": ping\r\n\r\n");
    expect(PING_COMMENT).toBe(encodeComment("ping"));
  });

  it("DONE_EVENT is the done event frame, byte for byte as fastapi_poe writes it", () => {
    expect(DONE_EVENT).toBe("event: done\r\ndata: {}\r\n\r\n");
    expect(DONE_EVENT).toBe(encodeEvent("done", {}));
    const recorded = readFileSync(
      new URL("./fixtures/fastapi_poe/response-echo.http", import.meta.url),
      "latin1",
    );
    expect(recorded.endsWith(DONE_EVENT)).toBe(true);
  });
});

describe("encodeEventBytes", () => {
  it("is the UTF-8 encoding of encodeEvent", () => {
    const bytes = encodeEventBytes("text", { text: "é🐱" });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toEqual(utf8.encode(encodeEvent("text", { text: "é🐱" })));
    // "é" is two bytes and the cat four, so the bytes outnumber the characters.
    expect(bytes.length).toBe(encodeEvent("text", { text: "é🐱" }).length + 1 + 2);
  });

  it("validates like encodeEvent", () => {
    expect(() => encodeEventBytes("a\nb", {})).toThrow(TypeError);
  });
});

describe("round trip through SseDecoder", () => {
  const eventName = fc
    .string({ unit: "binary", minLength: 1, maxLength: 12 })
    .filter((name) => !/[\r\n]/.test(name));

  it("decodes every encoded event back to its name and JSON", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(eventName, fc.jsonValue()), { maxLength: 8 }), (frames) => {
        const comments: string[] = [];
        const decoder = new SseDecoder({ onComment: (text) => comments.push(text) });
        const wire = frames.map(([name, value]) => encodeEvent(name, value) + PING_COMMENT).join("");
        const decoded = decoder.push(utf8.encode(wire));
        expect(decoded.map((e) => e.event)).toEqual(frames.map(([name]) => name));
        expect(decoded.map((e) => JSON.parse(e.data))).toEqual(
          frames.map(([, value]) => JSON.parse(JSON.stringify(value))),
        );
        expect(comments).toEqual(frames.map(() => "ping"));
        expect(decoder.end()).toEqual([]);
        expect(decoder.hadIncompleteEvent).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("streams encoded bytes through decodeSseStream", async () => {
    const frames = [
      encodeEventBytes("meta", { content_type: "text/markdown" }),
      encodeEventBytes("text", { text: "héllo 🐱" }),
      utf8.encode(encodeComment("ping")),
      encodeEventBytes("replace_response", { text: "bye" }),
      utf8.encode(DONE_EVENT),
    ];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const frame of frames) controller.enqueue(frame);
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    for await (const event of decodeSseStream(body)) events.push(event);
    expect(events).toEqual([
      { event: "meta", data: '{"content_type":"text/markdown"}' },
      { event: "text", data: '{"text":"héllo 🐱"}' },
      { event: "replace_response", data: '{"text":"bye"}' },
      { event: "done", data: "{}" },
    ]);
  });
});
