import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzRuns, fuzzTimeout } from "../test-support/fuzz-inputs.js";
import { SseDecodeError, SseDecoder, type SseEvent } from "./sse-decoder.js";
import { encodeEvent } from "./sse-encoder.js";

const RUNS = fuzzRuns(2_000);
const utf8 = new TextEncoder();
const MiB = 1024 * 1024;

/**
 * A full garbage collection, so that heap figures count what is still referenced and not what the
 * collector happens not to have freed yet (vitest does not start Node with --expose-gc).
 */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Bytes that are mostly SSE syntax, so that generated streams reach every branch of the decoder. */
const sseByte = fc.oneof(
  {
    arbitrary: fc.constantFrom(...'\r\n:  data event id retry {}"x'.split("").map((c) => c.charCodeAt(0))),
    weight: 6,
  },
  { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 2 },
  // Lone continuation bytes, lead bytes without their continuation, overlong forms: invalid UTF-8.
  { arbitrary: fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0xfe, 0xff), weight: 1 },
);
const sseBytes = fc.array(sseByte, { maxLength: 400 }).map((bytes) => Uint8Array.from(bytes));

/** Splits bytes at the generated offsets. */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.slice(start, point));
    start = point;
  }
  return chunks;
}

/** Everything a decoder makes of the chunks: its events, or the error it threw. */
function decodeAll(
  chunks: readonly Uint8Array[],
  maxEventBytes: number,
): { events: SseEvent[]; error?: unknown } {
  const decoder = new SseDecoder({ maxEventBytes });
  const events: SseEvent[] = [];
  try {
    for (const chunk of chunks) events.push(...decoder.push(chunk));
    events.push(...decoder.end());
    return { events };
  } catch (error) {
    return { events, error };
  }
}

describe("SseDecoder under generated bad input", () => {
  it(`decodes ${RUNS} random byte streams, however split, to events or SseDecodeError only`, {
    timeout: fuzzTimeout(RUNS, 2),
  }, () => {
    fc.assert(
      fc.property(
        sseBytes,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 300 }),
        (bytes, cuts, limit) => {
          const whole = decodeAll([bytes], limit);
          const pieces = decodeAll(split(bytes, cuts), limit);
          for (const result of [whole, pieces]) {
            if (result.error !== undefined) expect(result.error).toBeInstanceOf(SseDecodeError);
            for (const event of result.events) {
              expect(typeof event.event).toBe("string");
              expect(typeof event.data).toBe("string");
              // Nothing dispatched is larger than the limit (in UTF-16 code units).
              expect(event.data.length + event.event.length).toBeLessThanOrEqual(limit);
            }
          }
          // Where the bytes are cut changes nothing when the stream is within the limit.
          if (whole.error === undefined && pieces.error === undefined)
            expect(pieces.events).toEqual(whole.events);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("returns exactly the complete events of a stream cut at any byte, and says it was cut", () => {
    const events = fc.array(
      fc.tuple(
        fc.constantFrom("text", "meta", "replace_response", "error", "done"),
        fc.string({ unit: "binary", maxLength: 30 }),
      ),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(events, fc.nat(), (list, cut) => {
        const frames = list.map(([name, text]) => utf8.encode(encodeEvent(name, { text })));
        const bytes = Uint8Array.from(frames.flatMap((frame) => [...frame]));
        const at = cut % (bytes.length + 1);
        const decoder = new SseDecoder();
        const got = [...decoder.push(bytes.slice(0, at)), ...decoder.end()];
        // A frame counts once its closing blank line is in: CRLF CRLF, or CRLF CR (a CR ends a line).
        let complete = 0;
        let end = 0;
        for (const frame of frames) {
          if (end + frame.length - 1 > at) break;
          end += frame.length;
          complete++;
        }
        expect(got.map((event) => JSON.parse(event.data).text)).toEqual(
          list.slice(0, complete).map(([, text]) => JSON.parse(JSON.stringify(text))),
        );
        const cutInsideFrame = at !== end && at !== end - 1;
        expect(decoder.hadIncompleteEvent).toBe(cutInsideFrame && at < bytes.length);
      }),
      { numRuns: Math.min(RUNS, 1_000) },
    );
  });

  it("replaces invalid UTF-8 with U+FFFD and keeps the stream going", () => {
    const decoder = new SseDecoder();
    const bytes = Uint8Array.from([
      ...utf8.encode("event: te"),
      0xff,
      ...utf8.encode("xt\ndata: "),
      0xc0,
      0xaf,
      0xed,
      0xa0,
      0x80,
      0xf0,
      ...utf8.encode("\n\ndata: after\n\n"),
    ]);
    expect([...decoder.push(bytes), ...decoder.end()]).toEqual([
      { event: "te\ufffdxt", data: "\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd" },
      { event: "message", data: "after" },
    ]);
  });
});

describe("SseDecoder against adversarial streams", () => {
  it("takes a 10 MB single line under the default limit, and refuses it under a lower one", () => {
    const line = utf8.encode(`event: text\ndata: {"text":"${"a".repeat(10 * 1000 * 1000)}"}\n\n`);
    const accepted = new SseDecoder().push(line);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]?.data.length).toBe(10 * 1000 * 1000 + 11);
    expect(() => new SseDecoder({ maxEventBytes: MiB }).push(line)).toThrow(SseDecodeError);
  });

  it("decodes a million tiny events, in 64 KiB chunks, within seconds", { timeout: 30_000 }, () => {
    const stream = utf8.encode("data: x\n\n".repeat(1_000_000));
    const decoder = new SseDecoder({ maxEventBytes: 16 });
    let count = 0;
    const started = performance.now();
    for (let offset = 0; offset < stream.length; offset += 64 * 1024) {
      count += decoder.push(stream.subarray(offset, offset + 64 * 1024)).length;
    }
    decoder.end();
    expect(count).toBe(1_000_000);
    expect(decoder.hadIncompleteEvent).toBe(false);
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it("refuses a million data lines that never end their event once they pass the limit", () => {
    const decoder = new SseDecoder({ maxEventBytes: MiB });
    expect(() => decoder.push("data: x\n".repeat(1_000_000))).toThrow(SseDecodeError);
  });

  it("holds no more than about the limit in memory when a line never ends", () => {
    const limit = MiB;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    /** Pushes `total` bytes of one endless line; returns how many went in and how much the heap grew. */
    const feed = (maxEventBytes: number, total: number) => {
      const decoder = new SseDecoder({ maxEventBytes });
      decoder.push("data: ");
      collectGarbage();
      const before = process.memoryUsage().heapUsed;
      let pushed = 0;
      let error: unknown;
      try {
        while (pushed < total) {
          decoder.push(chunk);
          pushed += chunk.length;
        }
      } catch (thrown) {
        error = thrown;
      }
      collectGarbage();
      const grown = process.memoryUsage().heapUsed - before;
      // Kept alive until measured, so whatever it buffered is still counted.
      expect(decoder.hadIncompleteEvent).toBe(false);
      return { pushed, grown, error };
    };

    const bounded = feed(limit, 64 * MiB);
    expect(bounded.error).toBeInstanceOf(SseDecodeError);
    expect(bounded.pushed).toBeLessThanOrEqual(limit);
    expect(bounded.grown).toBeLessThan(4 * limit);
    // The measurement can see buffering: with a high limit, the same line is held in memory.
    const unbounded = feed(64 * MiB, 24 * MiB);
    expect(unbounded.error).toBeUndefined();
    expect(unbounded.grown).toBeGreaterThan(16 * MiB);
    console.info(
      `SSE decoder memory: limit 1 MiB, ${(bounded.pushed / MiB).toFixed(2)} MiB taken before the refusal, heap kept ${(bounded.grown / MiB).toFixed(2)} MiB; limit 64 MiB, 24 MiB taken, heap kept ${(unbounded.grown / MiB).toFixed(2)} MiB`,
    );
  });
});
