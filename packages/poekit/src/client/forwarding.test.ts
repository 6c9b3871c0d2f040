import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotError, HTTPError } from "../core/errors.js";
import { silentLogger } from "../core/logger.js";
import { DataResponse, ErrorResponse, MetaResponse, PartialResponse } from "../core/responses.js";
import { type RunningServer, type RunOptions, run } from "../node/run.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { SseDecoder } from "../protocol/sse-decoder.js";
import { PoeBot, type PoeBotOptions } from "../server/poe-bot.js";
import { UNEXPECTED_ERROR_TEXT } from "../server/query-stream.js";
import type { RequestContext } from "../server/request-context.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import type { OnError } from "./bot-query.js";
import { getFinalResponse } from "./get-final-response.js";
import { streamRequest } from "./stream-request.js";

const WRONG_KEY = "w".repeat(32);
const CAT = {
  url: "https://files.test/cat.png",
  content_type: "image/png",
  name: "cat.png",
  inline_ref: "cat",
  parsed_content: null,
};

/** Records what the upstream bot saw of each query. */
interface Seen {
  authorization: string | null;
}

/** Bot B: one of every kind of response item, in order. */
class UpstreamBot extends PoeBot {
  readonly seen: Seen[] = [];
  override async *getResponseWithContext(_request: QueryRequest, context: RequestContext) {
    this.seen.push({ authorization: context.request.headers.get("authorization") });
    yield new MetaResponse({ content_type: "text/plain", suggested_replies: false });
    yield "Hello";
    yield new PartialResponse({ text: " ![cat][cat]", attachment: CAT });
    yield new PartialResponse({ text: "Start over", is_replace_response: true });
    yield new PartialResponse({ text: " again" });
    yield new DataResponse({ metadata: "m" });
    yield new PartialResponse({ text: "Tell me more", is_suggested_reply: true });
  }
}

/** Bot B, failing after some text. */
class FailingUpstreamBot extends PoeBot {
  override async *getResponse() {
    yield "Partial answer";
    yield new ErrorResponse({ text: "The model is overloaded.", allow_retry: false });
  }
}

/** Bot B, answering one piece and then waiting until its caller goes away. */
class SlowUpstreamBot extends PoeBot {
  #cancelled: () => void = () => {};
  readonly cancelled = new Promise<void>((resolve) => {
    this.#cancelled = resolve;
  });
  override async *getResponseWithContext(_request: QueryRequest, context: RequestContext) {
    yield "first";
    await new Promise<void>((resolve) => {
      if (context.signal.aborted) resolve();
      context.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    this.#cancelled();
  }
}

/** Bot A: forwards every query to bot "Upstream" at `upstreamUrl`. */
class ForwardingBot extends PoeBot {
  readonly upstreamUrl: string;
  readonly errors: unknown[] = [];
  readonly told: string[] = [];
  constructor(upstreamUrl: string, options: PoeBotOptions = {}) {
    super(options);
    this.upstreamUrl = upstreamUrl;
  }
  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const onError: OnError = (_error, message) => void this.told.push(message);
    try {
      for await (const msg of streamRequest(request, "Upstream", request.access_key, {
        baseUrl: this.upstreamUrl,
        signal: context.signal,
        onError,
      })) {
        yield msg;
      }
    } catch (error) {
      this.errors.push(error);
      if (error instanceof BotError) yield new ErrorResponse({ text: error.message, allow_retry: false });
      else throw error;
    }
  }
}

const servers: RunningServer[] = [];

async function serve(bot: PoeBot, options: RunOptions = {}): Promise<RunningServer> {
  const server = await run(bot, {
    port: 0,
    host: "127.0.0.1",
    allowWithoutKey: options.accessKey === undefined,
    handleSignals: false,
    syncSettings: false,
    logger: silentLogger,
    argv: [],
    env: {},
    ...options,
  });
  servers.push(server);
  return server;
}

interface WireEvent {
  event: string;
  data: unknown;
}

/** POSTs a query to `url` with plain fetch and decodes the whole SSE answer. */
async function query(url: string, key?: string, signal?: AbortSignal): Promise<WireEvent[]> {
  const response = await post(url, key, signal);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const decoder = new SseDecoder();
  const events = decoder.push(new Uint8Array(await response.arrayBuffer()));
  events.push(...decoder.end());
  return events.map((event) => ({ event: event.event, data: JSON.parse(event.data) }));
}

function post(url: string, key?: string, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(queryBody("Hi there", { message_id: "m-forward" })),
    ...(signal ? { signal } : {}),
  });
}

const FILE_DATA = {
  url: CAT.url,
  content_type: CAT.content_type,
  name: CAT.name,
  inline_ref: "cat",
};

let upstreamBot: UpstreamBot;
let keyedUpstreamBot: UpstreamBot;
let slowUpstreamBot: SlowUpstreamBot;
let upstream: RunningServer;
let keyedUpstream: RunningServer;
let forwarder: RunningServer;
let failingForwarder: RunningServer;
let keyedForwarder: RunningServer;
let wrongKeyForwarder: RunningServer;
let slowForwarder: RunningServer;
let failingForwarderBot: ForwardingBot;
let wrongKeyForwarderBot: ForwardingBot;

beforeAll(async () => {
  upstreamBot = new UpstreamBot({ path: "/Upstream" });
  keyedUpstreamBot = new UpstreamBot({ path: "/Upstream" });
  slowUpstreamBot = new SlowUpstreamBot({ path: "/Upstream" });
  upstream = await serve(upstreamBot);
  keyedUpstream = await serve(keyedUpstreamBot, { accessKey: TEST_KEY });
  const failingUpstream = await serve(new FailingUpstreamBot({ path: "/Upstream" }));
  const slowUpstream = await serve(slowUpstreamBot);
  forwarder = await serve(new ForwardingBot(`${upstream.url}/`));
  failingForwarderBot = new ForwardingBot(`${failingUpstream.url}/`);
  failingForwarder = await serve(failingForwarderBot);
  keyedForwarder = await serve(new ForwardingBot(`${keyedUpstream.url}/`), { accessKey: TEST_KEY });
  wrongKeyForwarderBot = new ForwardingBot(`${keyedUpstream.url}/`);
  wrongKeyForwarder = await serve(wrongKeyForwarderBot, { accessKey: WRONG_KEY });
  slowForwarder = await serve(new ForwardingBot(`${slowUpstream.url}/`));
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
});

/** What B sends, event by event. */
const UPSTREAM_EVENTS: WireEvent[] = [
  {
    event: "meta",
    data: { content_type: "text/plain", refetch_settings: false, linkify: true, suggested_replies: false },
  },
  { event: "text", data: { text: "Hello" } },
  { event: "file", data: FILE_DATA },
  { event: "text", data: { text: " ![cat][cat]" } },
  { event: "replace_response", data: { text: "Start over" } },
  { event: "text", data: { text: " again" } },
  { event: "data", data: { metadata: "m" } },
  { event: "suggested_reply", data: { text: "Tell me more" } },
  { event: "done", data: {} },
];

describe("forwarding a bot through streamRequest, end to end on real sockets", () => {
  it("upstream bot B answers with every kind of event", async () => {
    expect(await query(`${upstream.url}/Upstream`)).toEqual(UPSTREAM_EVENTS);
  });

  it("bot A yields B's events in the same order with the same data", async () => {
    const events = await query(`${forwarder.url}/`);
    expect(events).toEqual(UPSTREAM_EVENTS);
    // A has no key of its own, so request.access_key is "<missing>" and no Authorization is sent.
    expect(upstreamBot.seen.at(-1)).toEqual({ authorization: null });
  });

  it("B's error event after some text: A shows the text, then an error event, then done", async () => {
    expect(await query(`${failingForwarder.url}/`)).toEqual([
      { event: "text", data: { text: "Partial answer" } },
      { event: "error", data: { allow_retry: false, text: "The model is overloaded." } },
      { event: "done", data: {} },
    ]);
    expect(failingForwarderBot.errors).toHaveLength(1);
    expect(failingForwarderBot.errors[0]).toBeInstanceOf(BotError);
    expect(failingForwarderBot.errors[0]).toMatchObject({ allowRetry: false, botName: "Upstream" });
  });

  it("A with B's access key: request.access_key is sent to B as the Bearer key", async () => {
    const events = await query(`${keyedForwarder.url}/`, TEST_KEY);
    expect(events).toEqual(UPSTREAM_EVENTS);
    expect(keyedUpstreamBot.seen.at(-1)).toEqual({ authorization: `Bearer ${TEST_KEY}` });
  });

  it("A with a wrong key: B answers 401, A's client throws HTTPError with B's JSON detail", async () => {
    const before = keyedUpstreamBot.seen.length;
    const events = await query(`${wrongKeyForwarder.url}/`, WRONG_KEY);
    // HTTPError is not a BotError, so it escapes getResponse: makeApp's generic error event.
    expect(events).toEqual([
      {
        event: "error",
        data: {
          allow_retry: false,
          text: UNEXPECTED_ERROR_TEXT,
          raw_response: expect.stringContaining("HTTPError"),
        },
      },
      { event: "done", data: {} },
    ]);
    expect(wrongKeyForwarderBot.errors).toHaveLength(1);
    const error = wrongKeyForwarderBot.errors[0];
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 401, url: `${keyedUpstream.url}/Upstream` });
    expect(JSON.parse((error as HTTPError).body)).toEqual({ detail: "Invalid access key." });
    expect(keyedUpstreamBot.seen.length).toBe(before);
  });

  it("getFinalResponse against B returns the final text", async () => {
    const request = queryBody("Hi", { message_id: "m-final" }) as Parameters<typeof getFinalResponse>[0];
    expect(await getFinalResponse(request, "Upstream", TEST_KEY, { baseUrl: `${keyedUpstream.url}/` })).toBe(
      "Start over again",
    );
    expect(await getFinalResponse(request, "Upstream", null, { baseUrl: `${upstream.url}/` })).toBe(
      "Start over again",
    );
  });

  it("a caller leaving A cancels A's call to B (context.signal)", async () => {
    const controller = new AbortController();
    const response = await post(`${slowForwarder.url}/`, undefined, controller.signal);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new SseDecoder();
    const seen: string[] = [];
    while (!seen.includes("text")) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(...decoder.push(value).map((event) => event.event));
    }
    expect(seen).toEqual(["text"]);
    controller.abort();
    await slowUpstreamBot.cancelled;
  });
});
