import { createParser } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.js";
import { generateSseStream, randomChunks } from "./sse-stream.js";

describe("generateSseStream", () => {
  const stream = generateSseStream({ seed: 42, size: 1_000_000 });

  it("is the same for the same seed and different for another", () => {
    // Buffer.equals: a deep comparison of a megabyte element by element takes seconds.
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
    expect(same(generateSseStream({ seed: 42, size: 1_000_000 }).bytes, stream.bytes)).toBe(true);
    expect(same(generateSseStream({ seed: 43, size: 1_000_000 }).bytes, stream.bytes)).toBe(false);
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });

  it("is about the size asked for, and ends with done", () => {
    expect(stream.bytes.length).toBeGreaterThan(990_000);
    expect(stream.bytes.length).toBeLessThanOrEqual(1_000_000 + 64 * 1024);
    expect(new TextDecoder().decode(stream.bytes.subarray(-30))).toMatch(
      /event: done\r\ndata: \{\}\r\n\r\n$/,
    );
  });

  it("holds the events it counts, whatever the chunking", () => {
    const chunks = randomChunks(stream.bytes, { seed: 7, minBytes: 1, maxBytes: 4096 });
    let events = 0;
    let dataChars = 0;
    const kinds = new Set<string>();
    const parser = createParser({
      onEvent(event) {
        events++;
        dataChars += event.data.length;
        kinds.add(event.event ?? "message");
        JSON.parse(event.data);
      },
    });
    const text = new TextDecoder();
    for (const chunk of chunks) parser.feed(text.decode(chunk, { stream: true }));
    expect({ events, dataChars }).toEqual({ events: stream.events, dataChars: stream.dataChars });
    expect([...kinds].sort()).toEqual([
      "data",
      "done",
      "meta",
      "replace_response",
      "suggested_reply",
      "text",
    ]);
  });
});

describe("randomChunks", () => {
  it("covers the bytes exactly, in order, with sizes within the bounds", () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
    const chunks = randomChunks(bytes, { seed: 3, minBytes: 1, maxBytes: 1000 });
    const joined = new Uint8Array(bytes.length);
    let offset = 0;
    for (const chunk of chunks) {
      joined.set(chunk, offset);
      offset += chunk.length;
    }
    expect(offset).toBe(bytes.length);
    expect(Buffer.from(joined).equals(bytes)).toBe(true);
    expect(chunks.every((chunk) => chunk.length >= 1 && chunk.length <= 1000)).toBe(true);
    expect(chunks.some((chunk) => chunk.length < 10)).toBe(true);
    expect(chunks.some((chunk) => chunk.length > 500)).toBe(true);
  });
});
