import { describe, expect, it } from "vitest";
import { BotError, ProtocolError } from "../core/errors.js";
import { PartialResponse } from "../core/responses.js";
import { fakeFetch, rejectionOf, sseResponse } from "../test-support/fake-fetch.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import { MessageBatches } from "./message-batches.js";
import type { BotMessage } from "./response-reader.js";
import { streamRequest } from "./stream-request.js";

/** A message's text; a DataResponse has none. */
const textOf = (message: BotMessage) => (message instanceof PartialResponse ? message.text : "");

/** A batch, or a failure where the next batch would be. */
type Step = number[] | "fail";

/** The generator MessageBatches stands for: the same work, with one `yield` per message. */
async function* oneByOne(steps: Step[], log: string[]): AsyncGenerator<number, void, undefined> {
  try {
    for (const [i, step] of steps.entries()) {
      log.push(`step ${i}`);
      if (step === "fail") throw new Error("boom");
      for (const message of step) yield message;
    }
    log.push("end");
  } catch (error) {
    log.push(`caught ${(error as Error).message}`);
    throw error;
  } finally {
    log.push("finally");
  }
}

/** The same steps, a batch per `yield`, behind MessageBatches. */
function batched(steps: Step[], log: string[]): AsyncGenerator<number, void, undefined> {
  async function* batches(): AsyncGenerator<readonly number[], void, undefined> {
    try {
      for (const [i, step] of steps.entries()) {
        log.push(`step ${i}`);
        if (step === "fail") throw new Error("boom");
        yield step;
      }
      log.push("end");
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
      throw error;
    } finally {
      log.push("finally");
    }
  }
  return new MessageBatches(batches());
}

type Call = "next" | "return" | "throw";

/** Makes the calls (awaiting each, or all at once) and records what each gave, interleaved with the log. */
async function play(
  make: (steps: Step[], log: string[]) => AsyncGenerator<number, void, undefined>,
  steps: Step[],
  calls: Call[],
  concurrent: boolean,
): Promise<string[]> {
  const log: string[] = [];
  const generator = make(steps, log);
  const record = (i: number, call: Call, promise: Promise<IteratorResult<number, void>>) =>
    promise.then(
      (result) =>
        void log.push(`${i} ${call} → ${result.done ? "done" : result.value} ${String(result.value)}`),
      (error: Error) => void log.push(`${i} ${call} ✗ ${error.message}`),
    );
  const started: Promise<void>[] = [];
  for (const [i, call] of calls.entries()) {
    const promise =
      call === "next"
        ? generator.next()
        : call === "return"
          ? generator.return()
          : generator.throw(new Error("thrown in"));
    const recorded = record(i, call, promise);
    if (concurrent) started.push(recorded);
    else await recorded;
  }
  await Promise.all(started);
  return log;
}

const STEPS: Step[][] = [[[1, 2, 3], [4], [5, 6]], [[1, 2], "fail"], [[1], [], [2, 3]], []];
const CALLS: Call[][] = [
  ["next", "next", "next", "next", "next", "next", "next", "next"],
  ["next", "return", "next", "next"],
  ["next", "next", "next", "return", "next"],
  ["next", "throw", "next"],
  ["next", "next", "next", "next", "throw", "next"],
  ["return", "next"],
  ["throw", "next"],
  ["next", "next", "return", "next", "throw", "return"],
];

describe("MessageBatches", () => {
  for (const concurrent of [false, true]) {
    for (const steps of STEPS) {
      for (const calls of CALLS) {
        it(`acts as a generator of messages: ${JSON.stringify(steps)}, ${calls.join(" ")}${concurrent ? ", all at once" : ""}`, async () => {
          const expected = await play(oneByOne, steps, calls, concurrent);
          const actual = await play(batched, steps, calls, concurrent);
          if (!concurrent) {
            expect(actual).toEqual(expected);
          } else {
            // Calls made at once settle a few microtasks apart from a generator's: compare what each
            // call gave, in the order they settled, and what the inner generator did, apart.
            const calls = (log: string[]) => log.filter((entry) => /^\d/.test(entry));
            const inner = (log: string[]) => log.filter((entry) => !/^\d/.test(entry));
            expect(calls(actual)).toEqual(calls(expected));
            expect(inner(actual)).toEqual(inner(expected));
          }
        });
      }
    }
  }

  it("asks for the next batch only when the current one is used up", async () => {
    const log: string[] = [];
    const messages = batched([[1, 2], [3]], log);
    expect(await messages.next()).toEqual({ value: 1, done: false });
    expect(log).toEqual(["step 0"]);
    expect(await messages.next()).toEqual({ value: 2, done: false });
    expect(log).toEqual(["step 0"]);
    expect(await messages.next()).toEqual({ value: 3, done: false });
    expect(log).toEqual(["step 0", "step 1"]);
    expect(await messages.next()).toEqual({ value: undefined, done: true });
    expect(log).toEqual(["step 0", "step 1", "end", "finally"]);
  });

  it("serves concurrent next calls in order, across batches", async () => {
    const messages = batched([[1], [2, 3], [4]], []);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => messages.next()));
    expect(results.map((result) => result.value)).toEqual([1, 2, 3, 4, undefined]);
  });

  it("runs the inner generator's finally when a for await loop breaks mid-batch", async () => {
    const log: string[] = [];
    for await (const message of batched([[1, 2, 3], [4]], log)) {
      if (message === 2) break;
    }
    expect(log).toEqual(["step 0", "finally"]);
  });

  it("is its own async iterator and looks like a generator", () => {
    const messages = batched([], []);
    expect(messages[Symbol.asyncIterator]()).toBe(messages);
    expect(Object.prototype.toString.call(messages)).toBe("[object AsyncGenerator]");
  });
});

describe("streamRequest: messages of one chunk", () => {
  const options = { baseUrl: "http://poe.test/bot/", retries: { tries: 3, sleep: async () => undefined } };

  it("delivers the messages before an error event, then throws it without a retry", async () => {
    const fetch = fakeFetch([
      sseResponse([
        ["text", { text: "a" }],
        ["text", { text: "b" }],
        ["error", { text: "overloaded", allow_retry: true }],
      ]),
    ]);
    const seen: string[] = [];
    const stream = streamRequest(queryBody("hi") as never, "Up", TEST_KEY, {
      ...options,
      fetch,
      onError: () => undefined,
    });
    const error = await rejectionOf(
      (async () => {
        for await (const message of stream) seen.push(textOf(message));
      })(),
    );
    expect(seen).toEqual(["a", "b"]);
    expect(error).toBeInstanceOf(BotError);
    expect(fetch.requests).toHaveLength(1);
  });

  it("retries an error event that comes before any message", async () => {
    const fetch = fakeFetch([
      sseResponse([
        ["ping", {}],
        ["error", { text: "overloaded", allow_retry: true }],
        ["text", { text: "never" }],
      ]),
      sseResponse([
        ["text", { text: "ok" }],
        ["done", {}],
      ]),
    ]);
    const seen: string[] = [];
    for await (const message of streamRequest(queryBody("hi") as never, "Up", TEST_KEY, {
      ...options,
      fetch,
      onError: () => undefined,
    })) {
      seen.push(textOf(message));
    }
    expect(seen).toEqual(["ok"]);
    expect(fetch.requests).toHaveLength(2);
  });

  it("reports a violation when the reader reaches it: after the messages before it are taken", async () => {
    const fetch = fakeFetch([
      sseResponse([
        ["text", { text: "a" }],
        ["surprise", {}],
        ["text", { text: "b" }],
        ["text", "not json"],
        ["text", { text: "c" }],
      ]),
    ]);
    const log: string[] = [];
    const stream = streamRequest(queryBody("hi") as never, "Up", TEST_KEY, {
      ...options,
      fetch,
      reportErrors: false,
      onError: (error) => void log.push(`onError ${error.constructor.name}`),
    });
    const error = await rejectionOf(
      (async () => {
        for await (const message of stream) log.push(`message ${textOf(message)}`);
      })(),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(log).toEqual([
      "message a",
      "onError ProtocolError",
      "message b",
      "onError ProtocolError",
      "onError ProtocolError",
    ]);
    expect(fetch.requests).toHaveLength(1);
  });

  it("cancels the body when the caller leaves in the middle of a chunk", async () => {
    let cancelled = false;
    const text = 'event: text\r\ndata: {"text":"x"}\r\n\r\n'.repeat(3);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
      },
      cancel() {
        cancelled = true;
      },
    });
    const fetch = fakeFetch([() => new Response(body, { headers: { "content-type": "text/event-stream" } })]);
    let taken = 0;
    for await (const message of streamRequest(queryBody("hi") as never, "Up", TEST_KEY, {
      ...options,
      fetch,
    })) {
      expect(message).toBeInstanceOf(PartialResponse);
      taken++;
      break;
    }
    expect(taken).toBe(1);
    expect(cancelled).toBe(true);
  });
});
