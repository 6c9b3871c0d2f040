// A call a bot makes while answering a query is cancelled when the query's client goes away, even
// when the bot passes no signal: streamRequest finds the query's signal from the request it is given.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerQuerySignal } from "../core/query-signals.js";
import type { BotResponseItem } from "../core/responses.js";
import { type RunningServer, run } from "../node/run.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { SseDecoder } from "../protocol/sse-decoder.js";
import { PoeBot } from "../server/poe-bot.js";
import { queryBody, recordingLogger } from "../test-support/requests.js";
import { getFinalResponse } from "./get-final-response.js";
import { streamRequest } from "./stream-request.js";

/** How long the upstream may stay connected after the client left; the abort takes milliseconds. */
const BOUND_MS = 5_000;

/** An upstream bot on 127.0.0.1 that sends one text event and then stays silent until cut off. */
let upstream: Server;
let upstreamUrl: string;
const closed: Array<() => void> = [];

beforeAll(async () => {
  upstream = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write('event: text\ndata: {"text":"first"}\n\n');
    response.on("close", () => closed.shift()?.());
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
});

class Forwarder extends PoeBot {
  constructor(private readonly call: (request: QueryRequest) => AsyncIterable<BotResponseItem>) {
    super({});
  }
  override async *getResponse(request: QueryRequest) {
    yield "thinking ";
    yield* this.call(request);
  }
}

/** Serves `bot`, lets a client read its first text event and leave; resolves when upstream is cut off. */
async function upstreamCutOffAfterClientLeaves(bot: PoeBot): Promise<"cut off" | "still open"> {
  const logger = recordingLogger();
  const server = await run(bot, {
    port: 0,
    host: "127.0.0.1",
    allowWithoutKey: true,
    handleSignals: false,
    logger,
    // Only failures matter here: the query's access line would be one more line.
    accessLog: false,
    argv: [],
    env: {},
  });
  servers.push(server);
  const upstreamClosed = new Promise<"cut off">((resolve) => closed.push(() => resolve("cut off")));
  const client = new AbortController();
  const response = await fetch(`${server.url}/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(queryBody("Hi")),
    signal: client.signal,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new SseDecoder();
  const texts: string[] = [];
  // Until the upstream's first event came through A: the call is then open and silent.
  while (!texts.some((text) => text.includes("first"))) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const event of decoder.push(value)) if (event.event === "text") texts.push(event.data);
  }
  client.abort();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<"still open">((resolve) => {
    timer = setTimeout(() => resolve("still open"), BOUND_MS);
  });
  const outcome = await Promise.race([upstreamClosed, bound]);
  clearTimeout(timer);
  // The call's abort error, thrown into a bot whose answer has already ended, is no error of the bot's.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(logger.lines.filter((line) => !line.startsWith("info Serving"))).toEqual([]);
  return outcome;
}

describe("a client leaving cancels the bot's upstream call, without a signal from the bot", () => {
  it("streamRequest(request, …)", async () => {
    const bot = new Forwarder((request) => streamRequest(request, "Up", null, { baseUrl: upstreamUrl }));
    expect(await upstreamCutOffAfterClientLeaves(bot)).toBe("cut off");
  });

  it("streamRequest({ ...request, query: [...request.query, more] }, …)", async () => {
    const bot = new Forwarder((request) =>
      streamRequest(
        { ...request, query: [...request.query, { role: "user", content: "And more." }] },
        "Up",
        null,
        { baseUrl: upstreamUrl },
      ),
    );
    expect(await upstreamCutOffAfterClientLeaves(bot)).toBe("cut off");
  });

  it("getFinalResponse(request, …), waiting for the whole answer", async () => {
    const bot = new Forwarder(async function* (request) {
      // The upstream's first event is shown by hand: getFinalResponse yields nothing until the end.
      yield "first ";
      yield await getFinalResponse(request, "Up", null, { baseUrl: upstreamUrl });
    });
    expect(await upstreamCutOffAfterClientLeaves(bot)).toBe("cut off");
  });
});

describe("streamRequest's signal, with a query's registered", () => {
  /** A fetch that never answers: it only rejects when its signal aborts. */
  const hangingFetch = (_input: unknown, init?: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason), { once: true });
    });

  for (const which of ["the query's", "the caller's"] as const) {
    it(`is cancelled by ${which} signal when the caller passes one too`, async () => {
      const request = queryBody("Hi") as unknown as QueryRequest;
      const query = new AbortController();
      registerQuerySignal(request, query);
      const mine = new AbortController();
      const call = streamRequest(request, "Up", null, {
        baseUrl: upstreamUrl,
        fetch: hangingFetch,
        signal: mine.signal,
        retries: 1,
      }).next();
      (which === "the query's" ? query : mine).abort(new Error(`${which} abort`));
      await expect(call).rejects.toThrow(`${which} abort`);
    });
  }

  it("is left alone for a request that is no query's", async () => {
    const call = streamRequest(queryBody("Hi") as unknown as QueryRequest, "Up", null, {
      baseUrl: upstreamUrl,
      fetch: hangingFetch,
      connectTimeoutMs: 50,
      retries: 1,
    }).next();
    await expect(call).rejects.toThrow(/50 ms|0\.05 s|timed out|timeout/i);
  });
});
