import { readFileSync } from "node:fs";
import { createParser } from "eventsource-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeSseStream,
  SseDecodeError,
  SseDecoder,
  type SseDecoderOptions,
  type SseEvent,
} from "./sse-decoder.js";

const utf8 = new TextEncoder();

/** Pushes every chunk into a fresh decoder, then ends it; returns what it saw. */
function decode(chunks: readonly (Uint8Array | string)[], options: SseDecoderOptions = {}) {
  const comments: string[] = [];
  const decoder = new SseDecoder({ ...options, onComment: (text) => comments.push(text) });
  const events = chunks.flatMap((chunk) => decoder.push(chunk));
  events.push(...decoder.end());
  return { events, comments, decoder };
}

function decodeText(text: string, options: SseDecoderOptions = {}) {
  return decode([utf8.encode(text)], options);
}

/** Every way of cutting `bytes` in two, plus one byte at a time. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const result: Uint8Array[][] = [];
  for (let cut = 0; cut <= bytes.length; cut++) result.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
  result.push(Array.from(bytes, (byte) => Uint8Array.of(byte)));
  return result;
}

describe("line endings", () => {
  it.each([
    ["LF", "\n"],
    ["CR", "\r"],
    ["CRLF", "\r\n"],
  ])("accepts %s", (_name, eol) => {
    const text = ["event: text", 'data: {"text": "a"}', "", "data: plain", "", ""].join(eol);
    expect(decodeText(text).events).toEqual([
      { event: "text", data: '{"text": "a"}' },
      { event: "message", data: "plain" },
    ]);
  });

  it("accepts them mixed in one stream", () => {
    expect(decodeText("data: a\rdata: b\r\ndata: c\n\r\ndata: d\r\r").events).toEqual([
      { event: "message", data: "a\nb\nc" },
      { event: "message", data: "d" },
    ]);
  });

  it("reads a CRLF split between two chunks as one line ending", () => {
    // Were the LF a second line ending, it would be a blank line and dispatch "a" on its own.
    expect(decode(["data: a\r", "\ndata: b\r\n\r\n"]).events).toEqual([{ event: "message", data: "a\nb" }]);
    expect(decode(["data: a\r\n\r", "\n", "data: b\r\n\r\n"]).events).toEqual([
      { event: "message", data: "a" },
      { event: "message", data: "b" },
    ]);
  });

  it("remembers a trailing CR across chunks that decode to no text", () => {
    const halfOfE = utf8.encode("é").subarray(0, 1);
    const rest = utf8.encode("é").subarray(1);
    const chunks = [utf8.encode("data: a\r"), new Uint8Array(0), utf8.encode("\ndata: b"), halfOfE, rest];
    expect(decode([...chunks, utf8.encode("\n\n")]).events).toEqual([{ event: "message", data: "a\nbé" }]);
  });

  it("dispatches at a CR without waiting for the next chunk", () => {
    const decoder = new SseDecoder();
    expect(decoder.push("data: a\r\r")).toEqual([{ event: "message", data: "a" }]);
    expect(decoder.push("\ndata: b\n\n")).toEqual([{ event: "message", data: "b" }]);
  });

  it("gives the same result wherever a CRLF stream is cut", () => {
    const bytes = utf8.encode("event: text\r\ndata: x\r\n\r\n: c\r\ndata: y\r\n\r\n");
    for (const chunks of splits(bytes)) {
      expect(decode(chunks).events).toEqual([
        { event: "text", data: "x" },
        { event: "message", data: "y" },
      ]);
    }
  });
});

describe("UTF-8", () => {
  it("decodes characters split between chunks at every byte offset", () => {
    const bytes = utf8.encode("data: héllo 🐱\n\n");
    for (const chunks of splits(bytes)) {
      expect(decode(chunks).events).toEqual([{ event: "message", data: "héllo 🐱" }]);
    }
  });

  it("replaces invalid bytes with U+FFFD rather than failing", () => {
    const bytes = Uint8Array.of(...utf8.encode("data: a"), 0xff, ...utf8.encode("b\n\n"));
    expect(decode([bytes]).events).toEqual([{ event: "message", data: "a\uFFFDb" }]);
  });

  it("accepts text chunks and byte chunks in the same stream", () => {
    const cat = utf8.encode("🐱");
    expect(decode(["data: ", cat, "!\n", utf8.encode("\n")]).events).toEqual([
      { event: "message", data: "🐱!" },
    ]);
  });
});

describe("byte order mark", () => {
  const bom = Uint8Array.of(0xef, 0xbb, 0xbf);

  it("skips one BOM at the start of the stream, even split between chunks", () => {
    const bytes = Uint8Array.of(...bom, ...utf8.encode("data: x\n\n"));
    for (const chunks of splits(bytes)) {
      expect(decode(chunks).events).toEqual([{ event: "message", data: "x" }]);
    }
    expect(decode(["\uFEFFdata: x\n\n"]).events).toEqual([{ event: "message", data: "x" }]);
  });

  it("skips only the first BOM: a second one is part of the first field name", () => {
    expect(decode([Uint8Array.of(...bom, ...bom, ...utf8.encode("data: x\n\n"))]).events).toEqual([]);
  });

  it("keeps a BOM that is not at the start of the stream", () => {
    expect(decode(["data: x\n", "\uFEFFdata: y\n\n"]).events).toEqual([{ event: "message", data: "x" }]);
    expect(decode(["data: \uFEFFx\n\n"]).events).toEqual([{ event: "message", data: "\uFEFFx" }]);
  });

  it("skips a BOM again at the start of a new stream after end()", () => {
    const decoder = new SseDecoder();
    decoder.push(Uint8Array.of(...bom, ...utf8.encode("data: x\n\n")));
    decoder.end();
    expect(decoder.push(Uint8Array.of(...bom, ...utf8.encode("data: y\n\n")))).toEqual([
      { event: "message", data: "y" },
    ]);
  });
});

describe("fields", () => {
  it("joins multi-line data with LF, keeping empty lines", () => {
    expect(decodeText("data: a\ndata:\ndata\ndata: d\n\n").events).toEqual([
      { event: "message", data: "a\n\n\nd" },
    ]);
  });

  it("strips exactly one space after the colon, and none when there is none", () => {
    expect(decodeText("data:x\n\ndata:  x\n\nevent:t\ndata: \n\n").events).toEqual([
      { event: "message", data: "x" },
      { event: "message", data: " x" },
      { event: "t", data: "" },
    ]);
  });

  it("keeps colons inside the value", () => {
    expect(decodeText("data: a: b:c\n\n").events).toEqual([{ event: "message", data: "a: b:c" }]);
  });

  it("reads a line without a colon as a field with an empty value", () => {
    expect(decodeText("event: x\nevent\ndata\n\n").events).toEqual([{ event: "message", data: "" }]);
  });

  it("defaults the event name to 'message' and does not carry it to the next event", () => {
    expect(decodeText("event: a\ndata: 1\n\ndata: 2\n\n").events).toEqual([
      { event: "a", data: "1" },
      { event: "message", data: "2" },
    ]);
  });

  it("does not dispatch an event without data, and forgets its event name", () => {
    expect(decodeText("event: a\n\nid: 1\n\n\n\nevent: b\ndata: x\n\n").events).toEqual([
      { event: "b", data: "x" },
    ]);
    expect(decodeText("event: a\n\ndata: x\n\n").events).toEqual([{ event: "message", data: "x" }]);
  });

  it("ignores unknown fields, including misspelt ones", () => {
    expect(decodeText("foo: bar\nData: no\nEVENT: no\ndata : no\ndata: yes\n\n").events).toEqual([
      { event: "message", data: "yes" },
    ]);
  });

  it("reports an event's own id, and keeps the last event ID across events", () => {
    const { events, decoder } = decodeText("id: 1\ndata: a\n\ndata: b\n\nid: 2\n\n");
    expect(events).toEqual([
      { event: "message", data: "a", id: "1" },
      { event: "message", data: "b" },
    ]);
    expect(decoder.lastEventId).toBe("2");
  });

  it("accepts an empty id, which clears the last event ID", () => {
    const { events, decoder } = decodeText("id: 1\ndata: a\n\nid\ndata: b\n\n");
    expect(events).toEqual([
      { event: "message", data: "a", id: "1" },
      { event: "message", data: "b", id: "" },
    ]);
    expect(decoder.lastEventId).toBe("");
  });

  it("ignores an id containing NUL", () => {
    const { events, decoder } = decodeText("id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n");
    expect(events).toEqual([
      { event: "message", data: "a", id: "1" },
      { event: "message", data: "b" },
    ]);
    expect(decoder.lastEventId).toBe("1");
  });

  it("commits the last event ID only at the blank line", () => {
    const decoder = new SseDecoder();
    decoder.push("id: 1\ndata: a\n");
    expect(decoder.lastEventId).toBe("");
    decoder.push("\n");
    expect(decoder.lastEventId).toBe("1");
  });

  it("accepts retry only when it is ASCII digits", () => {
    const { events, decoder } = decodeText("retry: 1500\ndata: a\n\ndata: b\n\n");
    expect(events).toEqual([
      { event: "message", data: "a", retry: 1500 },
      { event: "message", data: "b" },
    ]);
    expect(decoder.retry).toBe(1500);
    // The first space after the colon is the separator, so "  1" leaves the value " 1".
    for (const bad of ["", "  1", "1.5", "-1", "1e3", "15a", "\u0661\u0662", "0x10", "+1"]) {
      const result = decodeText(`retry:${bad}\ndata: x\n\n`);
      expect(result.events).toEqual([{ event: "message", data: "x" }]);
      expect(result.decoder.retry).toBeUndefined();
    }
    expect(decodeText("retry: 007\n\n").decoder.retry).toBe(7);
  });
});

describe("comments", () => {
  it("reports comments through onComment, without the colon and one space", () => {
    const { events, comments } = decodeText(": ping\n:no space\n:  two spaces\n:\ndata: x\n: inside\n\n");
    expect(comments).toEqual(["ping", "no space", " two spaces", "", "inside"]);
    expect(events).toEqual([{ event: "message", data: "x" }]);
  });

  it("reports a comment split across chunks once, whole", () => {
    const bytes = utf8.encode(": ping - é\r\n\r\n");
    for (const chunks of splits(bytes)) {
      expect(decode(chunks).comments).toEqual(["ping - é"]);
    }
  });

  it("passes an error thrown by onComment on, and refuses input until end()", () => {
    const boom = new Error("observer failed");
    const decoder = new SseDecoder({
      onComment: () => {
        throw boom;
      },
    });
    expect(() => decoder.push(": ping\n\ndata: lost\n\n")).toThrow(boom);
    expect(() => decoder.push("data: x\n\n")).toThrow(boom);
    decoder.end();
    expect(decoder.push("data: x\n\n")).toEqual([{ event: "message", data: "x" }]);
  });

  it("works without onComment", () => {
    expect(new SseDecoder().push(": ping\n\ndata: x\n\n")).toEqual([{ event: "message", data: "x" }]);
  });
});

describe("end()", () => {
  it("discards an event missing its blank line, and says so", () => {
    for (const tail of ["data: cut", "data: cut\n", "event: x\r\n", "id: 1\n", ": half a comm"]) {
      const { events, decoder } = decodeText(`data: ok\n\n${tail}`);
      expect(events).toEqual([{ event: "message", data: "ok" }]);
      expect(decoder.hadIncompleteEvent, tail).toBe(true);
    }
  });

  it("reports a clean end, also after a complete comment or a lone trailing CR", () => {
    for (const text of ["", "data: ok\n\n", "data: ok\n\n: bye\n", "data: ok\r\r"]) {
      expect(decodeText(text).decoder.hadIncompleteEvent, text).toBe(false);
    }
  });

  it("counts the bytes of a cut-off character as pending", () => {
    const decoder = new SseDecoder();
    decoder.push(utf8.encode("data: ok\n\n"));
    decoder.push(utf8.encode("é").subarray(0, 1));
    expect(decoder.end()).toEqual([]);
    expect(decoder.hadIncompleteEvent).toBe(true);
  });

  it("resets the decoder for a new stream", () => {
    const decoder = new SseDecoder();
    decoder.push("event: old\ndata: stale\r");
    decoder.end();
    // Neither the old event nor the CR may leak: the LF here is a blank line of the new stream.
    expect(decoder.push("\ndata: fresh\n\n")).toEqual([{ event: "message", data: "fresh" }]);
    decoder.end();
    expect(decoder.hadIncompleteEvent).toBe(false);
  });
});

describe("maxEventBytes", () => {
  it("fails when a line without an end outgrows the limit across chunks", () => {
    const decoder = new SseDecoder({ maxEventBytes: 100 });
    decoder.push(`data: ${"a".repeat(50)}`);
    let error: unknown;
    try {
      decoder.push("a".repeat(50));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SseDecodeError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "SseDecodeError", code: "SSE_EVENT_TOO_LARGE", limit: 100 });
  });

  it("fails when many data lines outgrow the limit", () => {
    const decoder = new SseDecoder({ maxEventBytes: 100 });
    const line = `data: ${"a".repeat(20)}\n`;
    expect(() => {
      for (let i = 0; i < 10; i++) decoder.push(line);
    }).toThrow(SseDecodeError);
  });

  it("accepts an event exactly at the limit, and any number of such events", () => {
    const decoder = new SseDecoder({ maxEventBytes: 10 });
    for (let i = 0; i < 100; i++) {
      expect(decoder.push(`data: ${"x".repeat(10)}\n\n`)).toEqual([
        { event: "message", data: "x".repeat(10) },
      ]);
    }
  });

  it("stays failed until end()", () => {
    const decoder = new SseDecoder({ maxEventBytes: 4 });
    expect(() => decoder.push("data: 12345\n")).toThrow(SseDecodeError);
    expect(() => decoder.push("\n")).toThrow(SseDecodeError);
    expect(decoder.end()).toEqual([]);
    expect(decoder.hadIncompleteEvent).toBe(true);
    expect(decoder.push("data: 1\n\n")).toEqual([{ event: "message", data: "1" }]);
  });

  it("delivers the events completed before the failure in the same chunk, then throws", () => {
    const decoder = new SseDecoder({ maxEventBytes: 8 });
    expect(decoder.push("data: ok\n\ndata: far too long\n")).toEqual([{ event: "message", data: "ok" }]);
    expect(() => decoder.push("\n")).toThrow(SseDecodeError);
    expect(() => decoder.push("\n")).toThrow(SseDecodeError);
  });

  it("throws a failure not yet seen from end()", () => {
    const decoder = new SseDecoder({ maxEventBytes: 8 });
    expect(decoder.push("data: ok\n\ndata: far too long\n")).toHaveLength(1);
    expect(() => decoder.end()).toThrow(SseDecodeError);
    expect(decoder.push("data: 1\n\n")).toEqual([{ event: "message", data: "1" }]);
  });

  it("defaults to 16 MiB", () => {
    const decoder = new SseDecoder();
    const chunk = "a".repeat(1024 * 1024);
    decoder.push("data: ");
    for (let i = 0; i < 15; i++) decoder.push(chunk);
    expect(() => decoder.push(chunk)).toThrow(SseDecodeError);
  });

  it.each([0, -1, Number.NaN])("rejects the limit %d", (max) => {
    expect(() => new SseDecoder({ maxEventBytes: max })).toThrow(RangeError);
  });
});

describe("decodeSseStream", () => {
  /** An endless stream of events that records whether, and why, it was cancelled. */
  function endlessStream() {
    const state = { cancelled: false, reason: undefined as unknown, pulls: 0 };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        state.pulls++;
        controller.enqueue(utf8.encode(`data: ${state.pulls}\n\n`));
      },
      cancel(reason) {
        state.cancelled = true;
        state.reason = reason;
      },
    });
    return { stream, state };
  }

  it("decodes a ReadableStream to the end and releases it", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8.encode("data: a\r"));
        controller.enqueue(utf8.encode("\n\r\ndata: ü"));
        controller.enqueue(utf8.encode("\n\n"));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    for await (const event of decodeSseStream(stream)) events.push(event);
    expect(events).toEqual([
      { event: "message", data: "a" },
      { event: "message", data: "ü" },
    ]);
    expect(stream.locked).toBe(false);
  });

  it("cancels the ReadableStream when the consumer stops early", async () => {
    const { stream, state } = endlessStream();
    const seen: string[] = [];
    for await (const event of decodeSseStream(stream)) {
      seen.push(event.data);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(["1", "2", "3"]);
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it("cancels the ReadableStream on an explicit return()", async () => {
    const { stream, state } = endlessStream();
    const events = decodeSseStream(stream);
    expect((await events.next()).value).toEqual({ event: "message", data: "1" });
    await events.return(undefined);
    expect(state.cancelled).toBe(true);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it("cancels the ReadableStream when decoding fails", async () => {
    const state = { cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(utf8.encode("data: aaaaaaaaaa"));
      },
      cancel() {
        state.cancelled = true;
      },
    });
    await expect(async () => {
      for await (const _event of decodeSseStream(stream, { maxEventBytes: 100 })) {
        // Only the failure matters here.
      }
    }).rejects.toThrow(SseDecodeError);
    expect(state.cancelled).toBe(true);
  });

  it("passes the source's errors on", async () => {
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Erroring a stream drops its queued chunks, so the failure comes on the second read.
        if (pulls++ === 0) controller.enqueue(utf8.encode("data: a\n\n"));
        else controller.error(new Error("connection reset"));
      },
    });
    const events = decodeSseStream(stream);
    expect((await events.next()).value).toEqual({ event: "message", data: "a" });
    await expect(events.next()).rejects.toThrow("connection reset");
  });

  it("reads an async iterable and closes it when the consumer stops early", async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 1; ; i++) yield utf8.encode(`event: n\ndata: ${i}\n\n`);
      } finally {
        closed = true;
      }
    }
    const seen: SseEvent[] = [];
    for await (const event of decodeSseStream(source())) {
      seen.push(event);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([
      { event: "n", data: "1" },
      { event: "n", data: "2" },
    ]);
    expect(closed).toBe(true);
  });

  it("passes comments to onComment", async () => {
    async function* source() {
      yield utf8.encode(": ping\n\ndata: x\n\n");
    }
    const comments: string[] = [];
    const events: SseEvent[] = [];
    for await (const event of decodeSseStream(source(), { onComment: (text) => comments.push(text) })) {
      events.push(event);
    }
    expect(comments).toEqual(["ping"]);
    expect(events).toEqual([{ event: "message", data: "x" }]);
  });
});

describe("recorded fastapi_poe responses", () => {
  /** The body of a recorded HTTP response: the bytes after the blank line that ends the headers. */
  function recordedBody(name: string): Uint8Array {
    const file = readFileSync(new URL(`./fixtures/fastapi_poe/${name}`, import.meta.url));
    const headerEnd = file.indexOf("\r\n\r\n");
    expect(headerEnd).toBeGreaterThan(0);
    return new Uint8Array(file.subarray(headerEnd + 4));
  }

  function decodeRecorded(name: string) {
    const body = recordedBody(name);
    const whole = decode([body]);
    // The same bytes one at a time must read the same: a network may cut them anywhere.
    const byByte = decode(Array.from(body, (byte) => Uint8Array.of(byte)));
    expect(byByte.events).toEqual(whole.events);
    expect(byByte.comments).toEqual(whole.comments);
    expect(whole.decoder.hadIncompleteEvent).toBe(false);
    return whole;
  }

  it("reads response-echo", () => {
    expect(decodeRecorded("response-echo.http").events).toEqual([
      { event: "text", data: '{"text": "What is the capital of Nepal?"}' },
      { event: "done", data: "{}" },
    ]);
  });

  it("reads response-features", () => {
    const { events, comments } = decodeRecorded("response-features.http");
    expect(events).toEqual([
      {
        event: "meta",
        data: '{"content_type": "text/plain", "refetch_settings": false, "linkify": true, "suggested_replies": false}',
      },
      { event: "text", data: '{"text": "draft"}' },
      { event: "replace_response", data: '{"text": "final"}' },
      { event: "text", data: '{"text": " answer"}' },
      { event: "suggested_reply", data: '{"text": "tell me more"}' },
      { event: "data", data: '{"metadata": "{\\"turn\\": 1}"}' },
      { event: "done", data: "{}" },
    ]);
    expect(comments).toEqual([]);
    expect(JSON.parse(events[5]?.data ?? "")).toEqual({ metadata: '{"turn": 1}' });
  });

  it("reads response-error", () => {
    expect(decodeRecorded("response-error.http").events).toEqual([
      { event: "text", data: '{"text": "partial"}' },
      { event: "error", data: '{"allow_retry": false, "text": "upstream broke"}' },
      { event: "done", data: "{}" },
    ]);
  });

  it("reads response-slow-with-ping and reports the keep-alive comment", () => {
    const { events, comments } = decodeRecorded("response-slow-with-ping.http");
    expect(events).toEqual([
      { event: "text", data: '{"text": "a"}' },
      { event: "text", data: '{"text": "b"}' },
      { event: "done", data: "{}" },
    ]);
    expect(comments).toEqual(["ping - 2026-11-22 11:47:30.747721+00:00"]);
  });
});

describe("differential test against eventsource-parser", () => {
  const eols = ["\n", "\r", "\r\n"] as const;
  const separators = [":", ": ", ":  "] as const;

  /** Text for values: any Unicode (astral characters, lone surrogates), plus characters SSE treats specially. */
  const value = fc
    .array(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 6 }),
        fc.constantFrom(":", " ", "\0", "é", "🐱", "\uFEFF", "data: ", "\u2028"),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join("").replace(/[\r\n]/g, ""));

  const withSeparator = (name: string, valueArb: fc.Arbitrary<string>) =>
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc.tuple(fc.constantFrom(...separators), valueArb).map(([sep, v]) => name + sep + v),
      },
      { weight: 1, arbitrary: fc.constant(name) },
    );

  const line = fc.oneof(
    { weight: 6, arbitrary: withSeparator("data", value) },
    {
      weight: 3,
      arbitrary: withSeparator("event", fc.oneof(fc.constantFrom("text", "done", "meta", ""), value)),
    },
    { weight: 2, arbitrary: withSeparator("id", value) },
    {
      weight: 1,
      arbitrary: withSeparator("retry", fc.oneof(fc.stringMatching(/^[0-9]{1,6}$/), value)),
    },
    { weight: 2, arbitrary: value.map((text) => `:${text}`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom("foo", "Data", "EVENT", "data ", "ids"), value)
        .map(([n, v]) => `${n}:${v}`),
    },
    { weight: 1, arbitrary: fc.constant("") },
  );

  const terminatedLine = fc.tuple(line, fc.constantFrom(...eols)).map(([text, eol]) => text + eol);
  const block = fc
    .tuple(fc.array(terminatedLine, { minLength: 1, maxLength: 5 }), fc.constantFrom(...eols))
    .map(([lines, blank]) => lines.join("") + blank);
  // The document may end inside an event (complete lines but no blank line), which both parsers must
  // drop. It never ends inside a line: eventsource-parser holds back text after a CR until a later chunk
  // brings a line break, so a partial last line would leave the lines before it unread; the decoder's
  // handling of a partial last line is covered by the unit tests above.
  const documentText = fc
    .tuple(fc.boolean(), fc.array(block, { maxLength: 8 }), fc.array(terminatedLine, { maxLength: 2 }))
    .map(([bom, blocks, unfinished]) => (bom ? "\uFEFF" : "") + blocks.join("") + unfinished.join(""));

  /** Cuts bytes at the given offsets (taken modulo the length, sorted); empty chunks are kept on purpose. */
  function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
    const offsets = cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let start = 0;
    for (const offset of offsets) {
      chunks.push(bytes.subarray(start, offset));
      start = offset;
    }
    chunks.push(bytes.subarray(start));
    return chunks;
  }

  type Comparable = { event: string; data: string; id: string | undefined };

  function viaReference(chunks: Uint8Array[]) {
    const events: Comparable[] = [];
    const comments: string[] = [];
    let retry: number | undefined;
    const parser = createParser({
      onEvent: (e) => events.push({ event: e.event ?? "message", data: e.data, id: e.id }),
      onComment: (text) => comments.push(text),
      onRetry: (ms) => {
        retry = ms;
      },
    });
    // eventsource-parser takes text, so the bytes go through a streaming TextDecoder (which also drops the BOM).
    const text = new TextDecoder();
    for (const piece of chunks) parser.feed(text.decode(piece, { stream: true }));
    parser.feed(text.decode());
    // A CR that ends the stream is held back by eventsource-parser in case an LF follows; an LF turns it
    // into a CRLF, which is still one line ending, so this only makes it finish that line as we do.
    const last = chunks.findLast((piece) => piece.length > 0);
    if (last?.[last.length - 1] === 0x0d) parser.feed("\n");
    return { events, comments, retry };
  }

  function viaDecoder(chunks: Uint8Array[]) {
    const { events, comments, decoder } = decode(chunks);
    return {
      events: events.map((e): Comparable => ({ event: e.event, data: e.data, id: e.id })),
      comments,
      retry: decoder.retry,
    };
  }

  it("yields the same events, comments and retry for random documents cut at random places", () => {
    fc.assert(
      fc.property(documentText, fc.array(fc.nat({ max: 10_000 }), { maxLength: 12 }), (text, cuts) => {
        const chunks = chunk(utf8.encode(text), cuts);
        expect(viaDecoder(chunks)).toEqual(viaReference(chunks));
      }),
      { numRuns: 600 },
    );
  });

  it("yields the same events from text chunks as from byte chunks", () => {
    fc.assert(
      fc.property(documentText, fc.array(fc.nat({ max: 10_000 }), { maxLength: 8 }), (text, cuts) => {
        const bytes = utf8.encode(text);
        const asText = new TextDecoder().decode(bytes);
        const offsets = cuts.map((cut) => cut % (asText.length + 1)).sort((a, b) => a - b);
        const pieces = [0, ...offsets].map((start, i) => asText.slice(start, offsets[i] ?? asText.length));
        expect(decode(pieces).events).toEqual(decode([bytes]).events);
      }),
      { numRuns: 200 },
    );
  });
});
