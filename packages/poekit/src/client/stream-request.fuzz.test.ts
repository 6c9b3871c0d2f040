import type { ServerResponse } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotError, ProtocolError } from "../core/errors.js";
import { DataResponse, PartialResponse } from "../core/responses.js";
import { fuzzRuns, fuzzTimeout } from "../test-support/fuzz-inputs.js";
import { type RawSseServer, SSE_HEADERS, startRawSseServer } from "../test-support/raw-sse-server.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import { streamRequest } from "./stream-request.js";

/** Over real sockets each case costs a connection: a tenth of the in-process properties' count. */
const RUNS = Math.ceil(fuzzRuns(2_000) / 10);
const MiB = 1024 * 1024;
const utf8 = new TextEncoder();

/** What the raw server writes for the next query: chunks, and whether to end or reset the connection. */
interface Script {
  chunks: Uint8Array[];
  ending: "end" | "reset";
}

let next: Script = { chunks: [], ending: "end" };
/** Whether the last response's connection was closed before the server finished writing. */
let cutShort: Promise<boolean> = Promise.resolve(false);
let server: RawSseServer;

async function play(response: ServerResponse, script: Script): Promise<void> {
  response.writeHead(200, SSE_HEADERS);
  for (const chunk of script.chunks) {
    if (response.destroyed) return;
    if (!response.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off("drain", done);
          response.off("close", done);
          resolve();
        };
        response.on("drain", done);
        response.on("close", done);
      });
    }
  }
  if (script.ending === "reset") response.socket?.destroy();
  else response.end();
}

beforeAll(async () => {
  server = await startRawSseServer({
    scripted: ({ response }) => {
      cutShort = new Promise((resolve) => {
        response.once("close", () => resolve(!response.writableFinished));
      });
      void play(response, next);
    },
  });
});
afterAll(() => server.close());

/** Runs one query against the script; returns the messages and the error it ended with, if any. */
async function query(script: Script, options: { maxEventBytes?: number } = {}) {
  next = script;
  const messages: unknown[] = [];
  try {
    for await (const message of streamRequest(queryBody() as never, "scripted", TEST_KEY, {
      baseUrl: server.baseUrl,
      retries: 1,
      reportErrors: false,
      onError: () => {},
      ...options,
    })) {
      messages.push(message);
    }
    return { messages, error: undefined };
  } catch (error) {
    return { messages, error };
  }
}

const frame = (event: string, data: string) => utf8.encode(`event: ${event}\r\ndata: ${data}\r\n\r\n`);

/** Bytes of a response: valid frames, broken frames and random bytes, cut anywhere. */
const responseBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        frame("text", '{"text":"hi"}'),
        frame("meta", '{"content_type":"text/plain"}'),
        frame("text", '{"text":'),
        frame("text", "not json"),
        frame("json", "[1]"),
        frame("unknown", "{}"),
        frame("data", '{"metadata":7}'),
        utf8.encode(": ping\r\n\r\n"),
        utf8.encode('event: text\r\ndata: {"text":"\xff"}\r\n'),
        Uint8Array.from([0xff, 0xfe, 0x0a, 0x0a]),
      ),
      fc.uint8Array({ maxLength: 60 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((part) => [...part])));

describe("streamRequest against generated and truncated byte streams", () => {
  it(`ends each of ${RUNS} generated responses cleanly or with ProtocolError, over a real socket`, {
    timeout: fuzzTimeout(RUNS, 20),
  }, async () => {
    const outcomes = { clean: 0, protocolError: 0, botError: 0 };
    await fc.assert(
      fc.asyncProperty(
        responseBytes,
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom("end" as const, "reset" as const),
        async (bytes, cuts, withDone, ending) => {
          const body = withDone ? Uint8Array.from([...bytes, ...frame("done", "{}")]) : bytes;
          const points = [...new Set(cuts.map((cut) => cut % (body.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((start, index) =>
            body.slice(start, [...points, body.length][index]),
          );
          const { messages, error } = await query({ chunks, ending });
          for (const message of messages) {
            expect(message instanceof PartialResponse || message instanceof DataResponse).toBe(true);
          }
          if (error === undefined) outcomes.clean++;
          else if (error instanceof ProtocolError) outcomes.protocolError++;
          else if (error instanceof BotError) {
            // An `error` event the bytes happened to hold, or the connection reset: not a crash.
            expect(error.rawResponse !== undefined || ending === "reset").toBe(true);
            outcomes.botError++;
          } else throw error;
        },
      ),
      { numRuns: RUNS },
    );
    expect(outcomes.clean).toBeGreaterThan(0);
    expect(outcomes.protocolError).toBeGreaterThan(0);
  });

  it("raises ProtocolError for a response cut off before done, wherever it is cut", async () => {
    const whole = Uint8Array.from([...frame("text", '{"text":"one"}'), ...frame("text", '{"text":"two"}')]);
    for (let at = 0; at <= whole.length; at += 7) {
      const { messages, error } = await query({ chunks: [whole.slice(0, at)], ending: "end" });
      expect(error).toBeInstanceOf(ProtocolError);
      expect(messages.length).toBeLessThanOrEqual(2);
    }
  });

  it("passes text with invalid UTF-8 on with U+FFFD, and refuses invalid bytes in the JSON's syntax", async () => {
    const text = Uint8Array.from([
      ...utf8.encode('event: text\r\ndata: {"text":"a'),
      0xff,
      0xc0,
      ...utf8.encode('b"}\r\n\r\n'),
    ]);
    const ok = await query({ chunks: [text, frame("done", "{}")], ending: "end" });
    expect(ok.error).toBeUndefined();
    expect((ok.messages[0] as PartialResponse).text).toBe("a\ufffd\ufffdb");
    const broken = Uint8Array.from([
      ...utf8.encode('event: text\r\ndata: {"text"'),
      0xff,
      ...utf8.encode(':"x"}\r\n\r\n'),
    ]);
    expect((await query({ chunks: [broken], ending: "end" })).error).toBeInstanceOf(ProtocolError);
  });
});

describe("streamRequest against adversarial events", () => {
  it("refuses a 10 MB single line over maxEventBytes with ProtocolError and stops reading", async () => {
    const line = utf8.encode(`event: text\r\ndata: {"text":"${"a".repeat(10 * 1000 * 1000)}"}\r\n\r\n`);
    const chunks = Array.from({ length: Math.ceil(line.length / (64 * 1024)) }, (_, index) =>
      line.subarray(index * 64 * 1024, (index + 1) * 64 * 1024),
    );
    const { messages, error } = await query({ chunks, ending: "end" }, { maxEventBytes: MiB });
    expect(messages).toEqual([]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toMatch(/too large/);
    // The client hung up instead of reading the other 9 MB.
    expect(await cutShort).toBe(true);
  });

  it("takes the same line under the default limit of 16 MiB", async () => {
    const line = utf8.encode(`event: text\r\ndata: {"text":"${"a".repeat(10 * 1000 * 1000)}"}\r\n\r\n`);
    const { messages, error } = await query({ chunks: [line, frame("done", "{}")], ending: "end" });
    expect(error).toBeUndefined();
    expect((messages[0] as PartialResponse).text).toHaveLength(10 * 1000 * 1000);
  });

  it("yields a million tiny events, one by one", { timeout: 60_000 }, async () => {
    const block = utf8.encode('event: text\r\ndata: {"text":"a"}\r\n\r\n'.repeat(10_000));
    const chunks = [...Array.from({ length: 100 }, () => block), frame("done", "{}")];
    let count = 0;
    next = { chunks, ending: "end" };
    for await (const message of streamRequest(queryBody() as never, "scripted", TEST_KEY, {
      baseUrl: server.baseUrl,
      retries: 1,
      onError: () => {},
    })) {
      if ((message as PartialResponse).text === "a") count++;
    }
    expect(count).toBe(1_000_000);
  });
});
