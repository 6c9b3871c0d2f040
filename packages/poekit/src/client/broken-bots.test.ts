import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BotError, BotErrorNoRetry, HTTPError, ProtocolError } from "../core/errors.js";
import { DataResponse, MetaResponse } from "../core/responses.js";
import type { QueryRequestInit } from "../protocol/query-request.js";
import {
  frame,
  type RawSseServer,
  SSE_HEADERS,
  sendSse,
  startRawSseServer,
} from "../test-support/raw-sse-server.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import type { BotMessage } from "./response-reader.js";
import { type StreamRequestOptions, streamRequest } from "./stream-request.js";

/** A response the server keeps writing slowly; `closedEarly` says whether the client hung up first. */
interface SlowStream {
  written: () => number;
  closedEarly: Promise<boolean>;
}

const SLOW_EVENTS = 200;
const slowStreams: SlowStream[] = [];

/** Writes `first`, then a text event every 20 ms up to SLOW_EVENTS, then done; stops if the client leaves. */
function slowly(response: ServerResponse, first: string, more: (n: number) => string): void {
  response.writeHead(200, SSE_HEADERS);
  response.write(first);
  let written = 1;
  const timer = setInterval(() => {
    if (response.writableEnded || response.destroyed) return;
    if (written >= SLOW_EVENTS) {
      clearInterval(timer);
      response.end(frame("done", "{}"));
      return;
    }
    response.write(more(written));
    written++;
  }, 20);
  slowStreams.push({
    written: () => written,
    closedEarly: new Promise<boolean>((resolve) => {
      response.on("close", () => {
        clearInterval(timer);
        resolve(!response.writableEnded);
      });
    }),
  });
}

const text = (value: string) => frame("text", JSON.stringify({ text: value }));
const DONE = frame("done", "{}");

/** The misbehaving bots, by name (= path). */
const ROUTES = {
  NoText: ({ response }) =>
    sendSse(response, frame("suggested_reply", '{"text":"Try again"}'), frame("json", '{"a":1}'), DONE),
  NoDone: ({ response }) => sendSse(response, text("partial")),
  UnknownEvent: ({ response }) =>
    sendSse(response, text("a"), frame("purr", '{"sound":"meow"}'), text("b"), DONE),
  BadJsonText: ({ response }) => sendSse(response, text("a"), frame("text", '{"text": "b"'), text("c"), DONE),
  BadJsonDone: ({ response }) => sendSse(response, text("a"), frame("done", "not json")),
  NotAnObject: ({ response }) => sendSse(response, text("a"), frame("text", '["b"]'), DONE),
  TextNotString: ({ response }) => sendSse(response, frame("text", '{"text":5}'), DONE),
  FileWithoutUrl: ({ response }) =>
    sendSse(response, frame("file", '{"content_type":"image/png","name":"cat.png"}'), text("see"), DONE),
  MetaBadSuggested: ({ response }) =>
    sendSse(
      response,
      frame("meta", '{"content_type":"text/plain","suggested_replies":"yes"}'),
      text("a"),
      DONE,
    ),
  LateMeta: ({ response }) =>
    sendSse(response, text("a"), frame("meta", '{"content_type":"text/plain"}'), text("b"), DONE),
  ErrorNoRetry: ({ response }) =>
    sendSse(
      response,
      frame("error", '{"allow_retry":false,"text":"Upstream is broken","error_type":"user_caused_error"}'),
      DONE,
    ),
  ErrorRetry: ({ response }) => sendSse(response, frame("error", '{"allow_retry":true,"text":"Busy"}'), DONE),
  Huge: ({ response }) => sendSse(response, text("x".repeat(5000)), DONE),
  NotSse: ({ response }) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"text":"Hello"}');
  },
  Unauthorized: ({ response }) => {
    response.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" });
    response.end('{"detail":"Invalid access key"}');
  },
  ServerError: ({ response }) => {
    response.writeHead(500, { "content-type": "text/plain" });
    response.end("upstream exploded");
  },
  Pings: ({ response }) =>
    sendSse(
      response,
      ": ping - 2025-01-01 00:00:00.000000+00:00\r\n\r\n",
      "event: ping\r\ndata: not json\r\n\r\n",
      frame("meta", '{"content_type":"text/plain","suggested_replies":false}'),
      ":just a comment\r\n",
      text("a"),
      "event: ping\r\ndata: {}\r\n\r\n",
      ": ping\n\n",
      text("b"),
      DONE,
    ),
  AfterDone: ({ response }) =>
    // Keeps the connection open after `done`: the client must not wait for the end of the body.
    slowly(response, text("a") + DONE + text("after done") + frame("purr", "{}"), () => text("late")),
  Slow: ({ response }) => slowly(response, text("one"), (n) => text(` ${n}`)),
} satisfies Parameters<typeof startRawSseServer>[0];

type BotName = keyof typeof ROUTES;

let server: RawSseServer;
let told: Array<{ error: Error; message: string }> = [];

beforeAll(async () => {
  server = await startRawSseServer(ROUTES);
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  told = [];
  slowStreams.length = 0;
});

function call(bot: BotName, options: StreamRequestOptions = {}) {
  const request = queryBody("hi", { message_id: `m-${bot}` }) as QueryRequestInit;
  return streamRequest(request, bot, TEST_KEY, {
    baseUrl: server.baseUrl,
    onError: (error, message) => told.push({ error, message }),
    retries: { tries: 1 },
    ...options,
  });
}

/** The messages yielded, as short strings, and what was thrown (undefined for a normal end). */
async function collect(
  stream: AsyncIterable<BotMessage>,
): Promise<{ messages: string[]; error: unknown; raw: BotMessage[] }> {
  const raw: BotMessage[] = [];
  try {
    for await (const message of stream) raw.push(message);
    return { messages: raw.map(describeMessage), error: undefined, raw };
  } catch (error) {
    return { messages: raw.map(describeMessage), error, raw };
  }
}

function describeMessage(message: BotMessage): string {
  if (message instanceof DataResponse) return `data ${message.metadata}`;
  if (message instanceof MetaResponse) return `meta ${message.content_type}`;
  if (message.is_suggested_reply) return `suggested_reply ${message.text}`;
  if (message.is_replace_response) return `replace_response ${message.text}`;
  if (message.attachment) return `file ${message.attachment.url}`;
  if (message.data) return `json ${JSON.stringify(message.data)}`;
  return `text ${message.text}`;
}

/** The `report_error` bodies the server received. */
function reports(): Array<Record<string, unknown>> {
  return server.reports.map((report) => report.body);
}

function report(bot: BotName, message: string, metadata: Record<string, unknown> = {}) {
  return { version: "1.2", type: "report_error", message, metadata: { ...metadata, message_id: `m-${bot}` } };
}

describe("a deliberately broken server: reported, the stream goes on or ends normally", () => {
  it("no text before done: ends normally, reports 'Bot returned no text in response'", async () => {
    const { messages, error } = await collect(call("NoText"));
    expect(error).toBeUndefined();
    expect(messages).toEqual(["suggested_reply Try again", 'json {"a":1}']);
    expect(reports()).toEqual([report("NoText", "Bot returned no text in response")]);
    // The report goes to the same URL, with the same key.
    expect(server.reports[0]?.path).toBe("/NoText");
    expect(server.reports[0]?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(told.map((t) => t.message)).toEqual([
      "Protocol error in the response of bot NoText: Bot returned no text in response",
    ]);
  });

  it("an unknown event is reported with its data and skipped; later text is still yielded", async () => {
    const { messages, error } = await collect(call("UnknownEvent"));
    expect(error).toBeUndefined();
    expect(messages).toEqual(["text a", "text b"]);
    expect(reports()).toEqual([
      report("UnknownEvent", "Unknown event type: purr", { event_data: '{"sound":"meow"}' }),
    ]);
  });

  it("a meta event that is not first is ignored and reported; the rest is delivered", async () => {
    const { messages, error } = await collect(call("LateMeta"));
    expect(error).toBeUndefined();
    expect(messages).toEqual(["text a", "text b"]);
    expect(reports()).toEqual([
      report("LateMeta", "A 'meta' event must be the first event of a response; this one was ignored.", {
        event_data: '{"content_type":"text/plain"}',
      }),
    ]);
  });

  it("ping events and ':' comment lines are ignored (a meta after them still counts as first)", async () => {
    const { messages, error } = await collect(call("Pings"));
    expect(error).toBeUndefined();
    expect(messages).toEqual(["meta text/plain", "text a", "text b"]);
    expect(reports()).toEqual([]);
    expect(told).toEqual([]);
  });

  it("events after done are not delivered, and the client does not wait for the body to end", async () => {
    const { messages, error } = await collect(call("AfterDone"));
    expect(error).toBeUndefined();
    expect(messages).toEqual(["text a"]);
    expect(reports()).toEqual([]);
    // The server was still writing: the client hung up right after `done`.
    expect(await slowStreams[0]?.closedEarly).toBe(true);
  });
});

describe("a deliberately broken server: ProtocolError after reporting", () => {
  it("a stream that ends without done: text delivered, then ProtocolError, reported", async () => {
    const { messages, error } = await collect(call("NoDone"));
    expect(messages).toEqual(["text partial"]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(
      "Bot NoDone ended its response without a 'done' event, so it may be incomplete.",
    );
    expect((error as ProtocolError).botName).toBe("NoDone");
    expect(reports()).toEqual([report("NoDone", "Bot exited without sending 'done' event")]);
  });

  it("invalid JSON in a text event: earlier text delivered, later events not", async () => {
    const { messages, error } = await collect(call("BadJsonText"));
    expect(messages).toEqual(["text a"]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      message: "Bot BadJsonText broke the protocol: Invalid JSON in 'text' event.",
      botName: "BadJsonText",
      event: "text",
      data: '{"text": "b"',
    });
    expect(reports()).toEqual([
      report("BadJsonText", "Invalid JSON in 'text' event", { event_data: '{"text": "b"' }),
    ]);
    expect(told.map((t) => t.message)).toEqual([
      "Protocol error in the response of bot BadJsonText: Invalid JSON in 'text' event",
      "Bot request to BadJsonText failed on try 1",
    ]);
  });

  it("invalid JSON in the done event", async () => {
    const { messages, error } = await collect(call("BadJsonDone"));
    expect(messages).toEqual(["text a"]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(
      "Bot BadJsonDone broke the protocol: Invalid JSON in 'done' event.",
    );
    expect(reports()).toEqual([
      report("BadJsonDone", "Invalid JSON in 'done' event", { event_data: "not json" }),
    ]);
  });

  it("JSON that is not an object", async () => {
    const { messages, error } = await collect(call("NotAnObject"));
    expect(messages).toEqual(["text a"]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(
      "Bot NotAnObject broke the protocol: Expected a JSON object in 'text' event.",
    );
    expect(reports()).toEqual([
      report("NotAnObject", "Expected a JSON object in 'text' event", { event_data: '["b"]' }),
    ]);
  });

  it("a text field that is not a string (text: 5)", async () => {
    const { messages, error } = await collect(call("TextNotString"));
    expect(messages).toEqual([]);
    const expected = "Invalid 'text' field in 'text' event: Invalid input: expected string, received number";
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(`Bot TextNotString broke the protocol: ${expected}.`);
    expect(reports()).toEqual([report("TextNotString", expected, { event_data: '{"text":5}' })]);
  });

  it("a file event without url", async () => {
    const { messages, error } = await collect(call("FileWithoutUrl"));
    expect(messages).toEqual([]);
    const expected =
      "Invalid 'url' field in 'file' event: Invalid input: expected string, received undefined";
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(`Bot FileWithoutUrl broke the protocol: ${expected}.`);
    expect(reports()).toEqual([
      report("FileWithoutUrl", expected, { event_data: '{"content_type":"image/png","name":"cat.png"}' }),
    ]);
  });

  it("a meta event whose suggested_replies is not a boolean", async () => {
    const { messages, error } = await collect(call("MetaBadSuggested"));
    expect(messages).toEqual([]);
    const expected =
      "Invalid 'suggested_replies' field in 'meta' event: Invalid input: expected boolean, received string";
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(`Bot MetaBadSuggested broke the protocol: ${expected}.`);
    expect(reports()).toEqual([
      report("MetaBadSuggested", expected, {
        event_data: '{"content_type":"text/plain","suggested_replies":"yes"}',
      }),
    ]);
  });

  it("an event larger than maxEventBytes: ProtocolError, not retried", async () => {
    const delays: number[] = [];
    const { messages, error } = await collect(
      call("Huge", { maxEventBytes: 1000, retries: { tries: 3, sleep: async (ms) => void delays.push(ms) } }),
    );
    expect(messages).toEqual([]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(
      "Bot Huge sent an event that is too large: SSE event exceeds maxEventBytes (1000): the stream is malformed or hostile",
    );
    expect(server.queries).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(reports()).toEqual([
      {
        version: "1.2",
        type: "report_error",
        message: "Event larger than 1000 bytes",
        metadata: { message_id: "m-Huge" },
      },
    ]);
  });
});

describe("a deliberately broken server: error events and HTTP failures", () => {
  it("an error event with allow_retry false: BotErrorNoRetry at once, no retry, no report", async () => {
    const delays: number[] = [];
    const { messages, error } = await collect(
      call("ErrorNoRetry", { retries: { tries: 3, sleep: async (ms) => void delays.push(ms) } }),
    );
    expect(messages).toEqual([]);
    expect(error).toBeInstanceOf(BotErrorNoRetry);
    expect(error).toMatchObject({
      message: "Upstream is broken",
      botName: "ErrorNoRetry",
      allowRetry: false,
      errorType: "user_caused_error",
    });
    expect(server.queries).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(reports()).toEqual([]);
  });

  it("an error event with allow_retry true before any output is retried, then BotError", async () => {
    const delays: number[] = [];
    const { error } = await collect(
      call("ErrorRetry", {
        retries: { tries: 2, random: () => 0, sleep: async (ms) => void delays.push(ms) },
      }),
    );
    expect(error).toBeInstanceOf(BotError);
    expect(error).not.toBeInstanceOf(BotErrorNoRetry);
    expect((error as BotError).message).toBe("Busy");
    expect(server.queries).toHaveLength(2);
    expect(delays).toEqual([250]);
    expect(reports()).toEqual([]);
  });

  it("200 with application/json instead of an event stream: HTTPError with status and body", async () => {
    const { messages, error } = await collect(call("NotSse", { retries: { tries: 3 } }));
    expect(messages).toEqual([]);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({
      status: 200,
      body: '{"text":"Hello"}',
      url: `${server.baseUrl}NotSse`,
      message:
        'Bot NotSse answered with content type "application/json" instead of an event stream (text/event-stream): {"text":"Hello"}',
    });
    expect(server.queries).toHaveLength(1);
    expect(reports()).toEqual([]);
  });

  it("401 JSON: HTTPError with status 401 and the body, not retried", async () => {
    const { error } = await collect(call("Unauthorized", { retries: { tries: 3 } }));
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({
      status: 401,
      body: '{"detail":"Invalid access key"}',
      message: 'Bot Unauthorized answered HTTP 401 Unauthorized: {"detail":"Invalid access key"}',
    });
    expect(server.queries).toHaveLength(1);
    expect(reports()).toEqual([]);
  });

  it("500: retried as `retries` says, then HTTPError", async () => {
    const delays: number[] = [];
    const { error } = await collect(
      call("ServerError", {
        retries: { tries: 3, random: () => 0, sleep: async (ms) => void delays.push(ms) },
      }),
    );
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({
      status: 500,
      body: "upstream exploded",
      message: "Bot ServerError answered HTTP 500 Internal Server Error: upstream exploded",
    });
    expect(server.queries).toHaveLength(3);
    expect(delays).toEqual([250, 500]);
    expect(told.map((t) => t.message)).toEqual([
      "Bot request to ServerError failed on try 1",
      "Bot request to ServerError failed on try 2",
      "Bot request to ServerError failed on try 3",
    ]);
    expect(reports()).toEqual([]);
  });
});

describe("a deliberately broken server: options and cancellation", () => {
  it("with reportErrors: false nothing is reported (onError is still told)", async () => {
    const unknown = await collect(call("UnknownEvent", { reportErrors: false }));
    expect(unknown.error).toBeUndefined();
    expect(unknown.messages).toEqual(["text a", "text b"]);
    const badJson = await collect(call("BadJsonText", { reportErrors: false }));
    expect(badJson.error).toBeInstanceOf(ProtocolError);
    const noText = await collect(call("NoText", { reportErrors: false }));
    expect(noText.error).toBeUndefined();
    const noDone = await collect(call("NoDone", { reportErrors: false }));
    expect(noDone.error).toBeInstanceOf(ProtocolError);
    expect(reports()).toEqual([]);
    expect(
      told.filter((t) => t.error instanceof ProtocolError && t.message.startsWith("Protocol error")),
    ).toHaveLength(4);
  });

  it("break after the first text aborts the HTTP request", async () => {
    const seen: string[] = [];
    for await (const message of call("Slow")) {
      seen.push(describeMessage(message));
      break;
    }
    expect(seen).toEqual(["text one"]);
    const stream = slowStreams[0];
    expect(await stream?.closedEarly).toBe(true);
    expect(stream?.written()).toBeLessThan(SLOW_EVENTS);
    expect(told).toEqual([]);
  });

  it("an aborted signal ends the stream with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("the user left");
    const seen: string[] = [];
    const consume = async () => {
      for await (const message of call("Slow", { signal: controller.signal })) {
        seen.push(describeMessage(message));
        controller.abort(reason);
      }
    };
    await expect(consume()).rejects.toBe(reason);
    expect(seen).toEqual(["text one"]);
    const stream = slowStreams[0];
    expect(await stream?.closedEarly).toBe(true);
    expect(stream?.written()).toBeLessThan(SLOW_EVENTS);
    expect(reports()).toEqual([]);
  });

  it("a signal aborted before the call: rejects with its reason", async () => {
    const reason = new Error("too late");
    const { error } = await collect(call("Slow", { signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
    expect(server.queries).toHaveLength(0);
  });
});
