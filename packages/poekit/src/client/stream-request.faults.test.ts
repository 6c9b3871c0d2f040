import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotError, HTTPError, InvalidParameterError, ProtocolError } from "../core/errors.js";
import type { PartialResponse } from "../core/responses.js";
import { DONE_EVENT, encodeEvent, PING_COMMENT } from "../protocol/sse-encoder.js";
import {
  CHUNKED_SSE_HEAD,
  chunk,
  type FaultStep,
  type FaultyUpstream,
  LAST_CHUNK,
  SSE_HEAD,
  startFaultyUpstream,
  statusResponse,
} from "../test-support/faulty-upstream.js";
import { queryBody } from "../test-support/requests.js";
import { type StreamRequestOptions, streamRequest } from "./stream-request.js";

// Every upstream here is a real socket on 127.0.0.1 and every call goes through the global fetch:
// the faults are in the bytes and the connection, where the client meets them in production.

const text = (value: string) => encodeEvent("text", { text: value });
const OK: FaultStep[] = [{ write: SSE_HEAD }, { write: text("ok") + DONE_EVENT }, { end: true }];

let upstream: FaultyUpstream | undefined;
beforeAll(async () => {
  // Node loads its fetch on first use, which can take longer than the short limits below.
  const warm = await startFaultyUpstream([OK]);
  await (await fetch(warm.baseUrl, { method: "POST", body: "{}" })).text();
  await warm.close();
});
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

/** What one call gave its caller: the texts, in order, and the error that ended it, if any. */
interface Outcome {
  texts: string[];
  error: unknown;
  elapsedMs: number;
}

/** A sleep that records the backoff it was asked for and returns at once. */
function recordedSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

async function callUpstream(
  scripts: ReadonlyArray<readonly FaultStep[]>,
  options: StreamRequestOptions = {},
): Promise<Outcome> {
  upstream = await startFaultyUpstream(scripts);
  const texts: string[] = [];
  const started = performance.now();
  let error: unknown;
  try {
    for await (const message of streamRequest(queryBody() as never, "Faulty", null, {
      baseUrl: upstream.baseUrl,
      onError: () => undefined,
      retries: { tries: 2, sleep: async () => undefined },
      ...options,
    })) {
      texts.push((message as PartialResponse).text);
    }
  } catch (thrown) {
    error = thrown;
  }
  return { texts, error, elapsedMs: performance.now() - started };
}

/** Waits until the upstream saw every connection close, and says whether the client closed each. */
async function closedByClient(): Promise<boolean[]> {
  const connections = upstream?.connections ?? [];
  await Promise.all(connections.map((connection) => connection.closed));
  return connections.map((connection) => connection.closedByClient);
}

describe("streamRequest against a bot that hangs", () => {
  it("before the headers: each try ends at connectTimeoutMs, is tried again, then fails clearly", async () => {
    const outcome = await callUpstream([[{ hang: true }]], { connectTimeoutMs: 250 });
    expect(outcome.error).toBeInstanceOf(BotError);
    expect((outcome.error as Error).message).toBe(
      "Bot Faulty sent no response headers within 250 ms; if it needs longer, raise connectTimeoutMs.",
    );
    expect(await closedByClient()).toEqual([true, true]);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(500);
    expect(outcome.elapsedMs).toBeLessThan(5_000);
  });

  it("after the headers: each try ends at firstByteTimeoutMs", async () => {
    const outcome = await callUpstream([[{ write: SSE_HEAD }, { hang: true }]], { firstByteTimeoutMs: 80 });
    expect((outcome.error as Error).message).toBe(
      "Bot Faulty sent its headers, then nothing for 80 ms; if it needs longer, raise firstByteTimeoutMs.",
    );
    expect(outcome.error).toBeInstanceOf(BotError);
    expect(await closedByClient()).toEqual([true, true]);
  });

  it("between events, after output reached the caller: idleTimeoutMs ends the call, with no retry", async () => {
    const outcome = await callUpstream([[{ write: SSE_HEAD }, { write: text("a") }, { hang: true }], OK], {
      idleTimeoutMs: 80,
    });
    expect(outcome.texts).toEqual(["a"]);
    expect((outcome.error as Error).message).toBe(
      "Bot Faulty went silent in the middle of its response for 80 ms; if it needs longer, raise idleTimeoutMs.",
    );
    expect(await closedByClient()).toEqual([true]);
  });

  it("between a ping and the first event: tried again, since nothing reached the caller", async () => {
    const outcome = await callUpstream([[{ write: SSE_HEAD }, { write: PING_COMMENT }, { hang: true }], OK], {
      idleTimeoutMs: 80,
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.texts).toEqual(["ok"]);
    expect(upstream?.connections).toHaveLength(2);
  });

  it("lets a slow but steady stream finish: the idle limit is between pieces, not for the whole", async () => {
    const steady: FaultStep[] = [{ write: SSE_HEAD }];
    for (let i = 0; i < 6; i++) steady.push({ waitMs: 100 }, { write: i % 2 ? PING_COMMENT : text(`${i}`) });
    steady.push({ write: DONE_EVENT }, { end: true });
    const outcome = await callUpstream([steady], { idleTimeoutMs: 400, firstByteTimeoutMs: 400 });
    expect(outcome.error).toBeUndefined();
    expect(outcome.texts).toEqual(["0", "2", "4"]);
    // The whole took longer than either limit.
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(600);
  });

  it("ends a stream kept alive by pings at timeoutMs, without retrying a whole response's time", async () => {
    const pinging: FaultStep[] = [{ write: SSE_HEAD }, { write: text("a") }];
    for (let i = 0; i < 100; i++) pinging.push({ waitMs: 20 }, { write: PING_COMMENT });
    const outcome = await callUpstream([pinging, OK], { idleTimeoutMs: 1_000, timeoutMs: 300 });
    expect(outcome.texts).toEqual(["a"]);
    expect((outcome.error as Error).message).toBe("Bot Faulty did not finish its response within 300 ms.");
    expect(await closedByClient()).toEqual([true]);
  });

  it("does not retry the total time limit even when nothing was delivered", async () => {
    const pinging: FaultStep[] = [{ write: SSE_HEAD }];
    for (let i = 0; i < 100; i++) pinging.push({ waitMs: 20 }, { write: PING_COMMENT });
    const outcome = await callUpstream([pinging, OK], { timeoutMs: 150 });
    expect((outcome.error as Error).message).toBe("Bot Faulty did not finish its response within 150 ms.");
    expect(upstream?.connections).toHaveLength(1);
  });

  it("refuses a limit that is not a positive number of milliseconds, naming the option", () => {
    for (const option of ["connectTimeoutMs", "firstByteTimeoutMs", "idleTimeoutMs"]) {
      expect(() =>
        streamRequest(queryBody() as never, "Faulty", null, { baseUrl: "http://x/", [option]: 0 }),
      ).toThrow(
        new InvalidParameterError(
          `${option} must be a number of milliseconds above 0 (at most 2147483647) or Infinity, got 0.`,
        ),
      );
    }
  });
});

describe("streamRequest against a bot that breaks its connection", () => {
  const chunked = (...steps: FaultStep[]): FaultStep[] => [{ write: CHUNKED_SSE_HEAD }, ...steps];
  const OK_CHUNKED = chunked({ write: chunk(text("ok") + DONE_EVENT) + LAST_CHUNK }, { end: true });

  it("closes in the middle of an event before any output: tried again, the output given once", async () => {
    const outcome = await callUpstream([
      chunked({ write: chunk('event: text\r\ndata: {"te') }, { end: true }),
      OK_CHUNKED,
    ]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.texts).toEqual(["ok"]);
    expect(upstream?.connections).toHaveLength(2);
  });

  it("closes in the middle of the stream after output: reported to the caller, never retried", async () => {
    const outcome = await callUpstream([
      chunked({ write: chunk(text("a")) }, { waitMs: 20 }, { write: chunk("event: te") }, { end: true }),
      OK_CHUNKED,
    ]);
    expect(outcome.texts).toEqual(["a"]);
    expect(outcome.error).toBeInstanceOf(BotError);
    expect((outcome.error as Error).message).toMatch(/^Error communicating with bot Faulty: /);
    expect(upstream?.connections).toHaveLength(1);
  });

  it("ends a body without length or chunks in the middle of an event: a ProtocolError, reported to the bot", async () => {
    const outcome = await callUpstream([
      [{ write: SSE_HEAD }, { write: `${text("a")}event: text\r\ndata: {"te` }, { end: true }],
      OK,
    ]);
    expect(outcome.texts).toEqual(["a"]);
    expect(outcome.error).toBeInstanceOf(ProtocolError);
    expect((outcome.error as Error).message).toBe(
      "Bot Faulty ended its response without a 'done' event, so it may be incomplete.",
    );
    expect(upstream?.reports).toMatchObject([{ message: "Bot exited without sending 'done' event" }]);
    expect(upstream?.connections).toHaveLength(1);
  });

  it("resets the connection before answering: tried again", async () => {
    const outcome = await callUpstream([[{ reset: true }], OK]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.texts).toEqual(["ok"]);
    expect(upstream?.connections).toHaveLength(2);
  });

  it("resets the connection after output: reported to the caller, never retried", async () => {
    const outcome = await callUpstream([
      chunked({ write: chunk(text("a")) }, { waitMs: 20 }, { reset: true }),
      OK_CHUNKED,
    ]);
    expect(outcome.texts).toEqual(["a"]);
    expect(outcome.error).toBeInstanceOf(BotError);
    expect((outcome.error as Error).message).toMatch(/^Error communicating with bot Faulty: /);
    expect(upstream?.connections).toHaveLength(1);
  });

  it("resets the connection on every try: the last failure, saying what failed", async () => {
    const outcome = await callUpstream([[{ reset: true }]], { retries: { tries: 3, sleep: async () => {} } });
    expect(outcome.error).toBeInstanceOf(BotError);
    expect((outcome.error as Error).message).toMatch(
      /^Error communicating with bot Faulty: .*(ECONNRESET|other side closed|terminated)/,
    );
    expect(upstream?.connections).toHaveLength(3);
  });
});

describe("streamRequest against a bot that answers 500 or 429", () => {
  it("tries a 500 again after an exponential backoff with jitter", async () => {
    const { delays, sleep } = recordedSleep();
    const outcome = await callUpstream([[{ write: statusResponse(500) }], OK], {
      retries: { tries: 2, sleep, random: () => 0.5 },
    });
    expect(outcome.texts).toEqual(["ok"]);
    expect(delays).toEqual([375]);
  });

  it("reports a 500 on every try as HTTPError with status and body", async () => {
    const outcome = await callUpstream([[{ write: statusResponse(500, {}, "database down") }]], {
      retries: { tries: 3, sleep: async () => {} },
    });
    expect(outcome.error).toBeInstanceOf(HTTPError);
    expect(outcome.error).toMatchObject({ status: 500, body: "database down" });
    expect(upstream?.connections).toHaveLength(3);
  });

  it("waits for a 429's retry-after in seconds, for real, then tries again", async () => {
    upstream = await startFaultyUpstream([[{ write: statusResponse(429, { "retry-after": "0.3" }) }], OK]);
    const arrivals: number[] = [];
    const texts: string[] = [];
    for await (const message of streamRequest(queryBody() as never, "Faulty", null, {
      baseUrl: upstream.baseUrl,
      onError: () => arrivals.push(performance.now()),
    })) {
      texts.push((message as PartialResponse).text);
      arrivals.push(performance.now());
    }
    expect(texts).toEqual(["ok"]);
    // From the failed try to the answer of the next: at least the 300 ms the bot asked for.
    expect((arrivals[1] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(295);
  });

  it("honours a retry-after given as an HTTP date", async () => {
    const { delays, sleep } = recordedSleep();
    const now = Date.parse("2025-01-01T00:00:00Z");
    await callUpstream(
      [[{ write: statusResponse(429, { "retry-after": "Wed, 01 Jan 2025 00:00:04 GMT" }) }], OK],
      { retries: { tries: 2, sleep, now: () => now } },
    );
    expect(delays).toEqual([4_000]);
  });

  it("gives up at once on a retry-after longer than the policy accepts", async () => {
    const outcome = await callUpstream([[{ write: statusResponse(429, { "retry-after": "3600" }) }], OK]);
    expect(outcome.error).toBeInstanceOf(HTTPError);
    expect(outcome.error).toMatchObject({ status: 429, retryAfter: "3600" });
    expect(upstream?.connections).toHaveLength(1);
  });

  it("tries a retryable error event again before output, and reports it after", async () => {
    const retryable = encodeEvent("error", { allow_retry: true, text: "overloaded" });
    const before = await callUpstream([[{ write: SSE_HEAD + retryable + DONE_EVENT }, { end: true }], OK]);
    expect(before.texts).toEqual(["ok"]);
    expect(upstream?.connections).toHaveLength(2);
    await upstream?.close();

    const after = await callUpstream([
      [{ write: SSE_HEAD + text("a") + retryable + DONE_EVENT }, { end: true }],
      OK,
    ]);
    expect(after.texts).toEqual(["a"]);
    expect(after.error).toBeInstanceOf(BotError);
    expect((after.error as Error).message).toBe("overloaded");
    expect(upstream?.connections).toHaveLength(1);
  });
});
