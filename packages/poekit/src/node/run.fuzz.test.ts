import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { QueryRequest } from "../protocol/query-request.js";
import { PoeBot } from "../server/poe-bot.js";
import { fuzzRuns, fuzzTimeout, nastyRawRequests, rawHttpCase } from "../test-support/fuzz-inputs.js";
import { rawExchange } from "../test-support/raw-socket.js";
import { queryBody, readEvents, recordingLogger, TEST_KEY } from "../test-support/requests.js";
import { type RunningServer, run } from "./run.js";

/** The nastiest cases are few hundred by default: each one is a connection of its own. */
const CASES = Math.ceil((fuzzRuns(2_000) * 3) / 20);
/**
 * The bot server's own answers (100 Continue to `expect: 100-continue`; 501 is its answer to an unknown request type), and Node's HTTP parser's
 * refusals: 400 for broken framing, 408 for a request not complete in time, 431 for huge headers.
 */
const ALLOWED_STATUSES = [100, 200, 400, 401, 404, 405, 408, 413, 431, 501];
/** Connections open at once. */
const PARALLEL = 50;

class OkBot extends PoeBot {
  override async *getResponse(_request: QueryRequest) {
    yield "ok";
  }
  override async onError(): Promise<void> {}
}

let server: RunningServer;
const logger = recordingLogger();

beforeAll(async () => {
  server = await run(new OkBot({ accessKey: TEST_KEY }), {
    port: 0,
    host: "127.0.0.1",
    handleSignals: false,
    syncSettings: false,
    logger,
    env: {},
    maxBodyBytes: 200_000,
    // Lowered so that requests left hanging are cut off (408) within the test's time.
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
  });
  // Connections kept alive after an answer would otherwise hold each batch for Node's 5 s.
  server.server.keepAliveTimeout = 300;
});
afterAll(() => server.close(0));

async function stillServes(): Promise<void> {
  const response = await fetch(`${server.url}/`, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(queryBody("still there?")),
  });
  expect(response.status).toBe(200);
  expect((await readEvents(response)).map((event) => event.event)).toEqual(["text", "done"]);
}

describe("run() on a real socket under raw bad input", () => {
  it(`answers ${CASES} raw requests (lying lengths, cut bodies, broken framing, random bytes) with 4xx, never a 500, and keeps serving`, {
    timeout: fuzzTimeout(CASES, 60),
  }, async () => {
    const errors = vi.spyOn(console, "error");
    // Each hand-written case once, both half-closed and left open, then generated ones.
    const nasty = nastyRawRequests(TEST_KEY).flatMap((text) =>
      [true, false].map((halfClose) => ({ bytes: new TextEncoder().encode(text), halfClose })),
    );
    const cases = [...nasty, ...fc.sample(rawHttpCase(TEST_KEY), Math.max(0, CASES - nasty.length))];
    const statuses = new Map<number, number>();
    let silent = 0;
    let done = 0;
    // A pool rather than batches: a connection left open (answered only by a timeout) holds up no other.
    const worker = async () => {
      for (let index = done; index < cases.length; index = done) {
        done++;
        const { bytes, halfClose } = cases[index] as (typeof cases)[number];
        const reply = await rawExchange(server.port, bytes, { halfClose, guardMs: 2_500 });
        for (const status of reply.statuses) statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (reply.statuses.length === 0) silent++;
        const bad = reply.statuses.filter((status) => !ALLOWED_STATUSES.includes(status));
        expect(bad, `case ${index}: ${reply.text.slice(0, 300)}`).toEqual([]);
        if (index % PARALLEL === 0) await stillServes();
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    await stillServes();
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    expect(logger.lines.filter((line) => line.startsWith("error"))).toEqual([]);
    expect(server.app.openStreams).toBe(0);
    // Every kind of answer was reached: answered, refused by the bot server, refused by Node.
    for (const status of [200, 400, 401, 408, 413])
      expect([status, statuses.has(status)]).toEqual([status, true]);
    console.info(
      `run() raw fuzz: ${CASES} connections; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${silent} closed without an answer`,
    );
  });
});
