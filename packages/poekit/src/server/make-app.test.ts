import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InsufficientFundError, PoeConfigError } from "../core/errors.js";
import { DataResponse, ErrorResponse, MetaResponse, PartialResponse } from "../core/responses.js";
import type { QueryRequest } from "../protocol/query-request.js";
import type { ReportFeedbackRequest } from "../protocol/report-feedback-request.js";
import type { SettingsResponse } from "../protocol/settings-response.js";
import { post, queryBody, readEvents, recordingLogger, sleep, TEST_KEY } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import { messageFilesOf } from "./message-files.js";
import { PoeBot } from "./poe-bot.js";
import type { RequestContext } from "./request-context.js";

class EchoBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    yield request.query.at(-1)?.content ?? "";
  }
}

function openApp(bot: PoeBot = new EchoBot(), options: Parameters<typeof makeApp>[1] = {}) {
  const logger = recordingLogger();
  const app = makeApp(bot, { allowWithoutKey: true, logger, env: {}, ...options });
  return { app, logger };
}

async function expectJsonError(response: Response, status: number, detail: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  const body = (await response.json()) as { detail: string };
  expect(body.detail).toMatch(detail);
  return body;
}

describe("GET on a bot path", () => {
  it("answers 200 HTML without auth, saying how to connect the bot", async () => {
    const { app } = openApp(new EchoBot({ accessKey: TEST_KEY }));
    for (const method of ["GET", "HEAD"]) {
      const response = await app.fetch(new Request("http://bot.test/", { method }));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      if (method === "GET") expect(await response.text()).toContain("poe.com/create_bot");
    }
  });
});

describe("authorization", () => {
  const keyed = () => openApp(new EchoBot({ accessKey: TEST_KEY })).app;

  it.each([
    ["missing", {}, /Missing Authorization/],
    ["wrong scheme", { authorization: `Basic ${TEST_KEY}` }, /scheme must be Bearer/],
    ["no credentials", { authorization: "Bearer " }, /no access key after Bearer/],
    ["wrong key", { authorization: `Bearer ${"x".repeat(32)}` }, /Invalid access key/],
    ["key prefix", { authorization: `Bearer ${TEST_KEY.slice(0, 31)}` }, /Invalid access key/],
    ["key plus more", { authorization: `Bearer ${TEST_KEY}x` }, /Invalid access key/],
  ])("refuses a %s header with 401, a JSON detail and WWW-Authenticate", async (_, headers, detail) => {
    const response = await keyed().fetch(post(queryBody(), headers));
    const body = await expectJsonError(response, 401, detail);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(JSON.stringify(body)).not.toContain(TEST_KEY.slice(0, 20));
  });

  it.each(["Bearer", "bearer", "BEARER"])("accepts the scheme %s with the right key", async (scheme) => {
    const response = await keyed().fetch(post(queryBody(), { authorization: `${scheme} ${TEST_KEY}` }));
    expect(response.status).toBe(200);
  });

  it("accepts any or no Authorization header when the bot has no key", async () => {
    const { app } = openApp();
    expect((await app.fetch(post(queryBody()))).status).toBe(200);
    expect((await app.fetch(post(queryBody(), { authorization: "Basic whatever" }))).status).toBe(200);
  });

  it("checks the key before reading the body", async () => {
    let pulled = false;
    const body = new ReadableStream(
      {
        pull(controller) {
          pulled = true;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request("http://bot.test/", { method: "POST", body, duplex: "half" } as RequestInit);
    expect((await keyed().fetch(request)).status).toBe(401);
    expect(pulled).toBe(false);
  });
});

describe("bad bodies", () => {
  it.each([
    ["not JSON", "{nope", 400, /not valid JSON/],
    ["empty", "", 400, /not valid JSON/],
    ["an array", "[]", 400, /must be a JSON object/],
    ["null", "null", 400, /must be a JSON object/],
    ["a string", '"query"', 400, /must be a JSON object/],
    ["without type", '{"version":"1.2"}', 400, /no string field `type`/],
    ["with a numeric type", '{"type":3}', 400, /no string field `type`/],
    ["of an unknown type", '{"version":"1.2","type":"dance"}', 501, /^Unsupported request type: dance$/],
  ])("answers a body that is %s with %i and a JSON detail", async (_, body, status, detail) => {
    const { app } = openApp();
    await expectJsonError(await app.fetch(post(body)), status, detail);
  });

  it("answers invalid UTF-8 with 400", async () => {
    const { app } = openApp();
    const request = new Request("http://bot.test/", {
      method: "POST",
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
    });
    await expectJsonError(await app.fetch(request), 400, /UTF-8/);
  });

  it.each([
    [
      "query without fields",
      { version: "1.2", type: "query" },
      ["query", "user_id", "conversation_id", "message_id"],
    ],
    [
      "query with a numeric content",
      queryBody("x", { query: [{ role: "user", content: 5 }] }),
      ["query[0].content"],
    ],
    ["query with a string query", queryBody("x", { query: "hello" }), ["query"]],
    ["settings without version", { type: "settings" }, ["version"]],
    [
      "feedback without ids",
      { version: "1.2", type: "report_feedback", feedback_type: "like" },
      ["message_id", "user_id", "conversation_id"],
    ],
    [
      "reaction with a numeric reaction",
      {
        version: "1.2",
        type: "report_reaction",
        message_id: "m",
        user_id: "u",
        conversation_id: "c",
        reaction: 1,
      },
      ["reaction"],
    ],
    ["error without message", { version: "1.2", type: "report_error" }, ["message"]],
  ])("answers a %s with 400, a detail and the issues by path", async (_, body, paths) => {
    const { app } = openApp();
    const response = await app.fetch(post(body));
    const json = (await expectJsonError(response, 400, /^Invalid \w+ request: /)) as unknown as {
      issues: Array<{ path: string; message: string }>;
    };
    expect(json.issues.map((issue) => issue.path)).toEqual(paths);
    for (const issue of json.issues) expect(issue.message).toEqual(expect.any(String));
  });

  it("answers a body over the declared limit with 413 without reading it", async () => {
    const { app } = openApp(new EchoBot(), { maxBodyBytes: 100 });
    let pulls = 0;
    const body = new ReadableStream({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(50));
      },
    });
    const request = new Request("http://bot.test/", {
      method: "POST",
      body,
      duplex: "half",
      headers: { "content-length": "1000000" },
    } as RequestInit);
    await expectJsonError(await app.fetch(request), 413, /larger than the limit of 100 bytes/);
    expect(pulls).toBeLessThanOrEqual(1);
  });

  it("stops reading an undeclared body at the limit and answers 413", async () => {
    const { app } = openApp(new EchoBot(), { maxBodyBytes: 1000 });
    let pulls = 0;
    let cancelled = false;
    const body = new ReadableStream({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(100));
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request("http://bot.test/", { method: "POST", body, duplex: "half" } as RequestInit);
    await expectJsonError(await app.fetch(request), 413, /larger than the limit/);
    expect(pulls).toBeLessThanOrEqual(12);
    expect(cancelled).toBe(true);
  });

  it("answers other methods with 405 and Allow, unknown paths with 404", async () => {
    const { app } = openApp();
    const put = await app.fetch(new Request("http://bot.test/", { method: "PUT", body: "{}" }));
    await expectJsonError(put, 405, /Method PUT is not allowed/);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST");
    await expectJsonError(
      await app.fetch(post(queryBody(), {}, "/elsewhere")),
      404,
      /No bot is served at \/elsewhere/,
    );
  });

  it("never answers 5xx to generated bodies and keeps serving", async () => {
    const { app } = openApp();
    const valid = queryBody();
    const mutated = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({
        version: fc.anything(),
        type: fc.constantFrom("query", "settings", "report_error", "report_feedback", "report_reaction"),
        query: fc.anything(),
      }),
      fc
        .dictionary(fc.constantFrom(...Object.keys(valid)), fc.jsonValue())
        .map((patch) => JSON.stringify({ ...valid, ...patch })),
    );
    await fc.assert(
      fc.asyncProperty(mutated, async (body) => {
        const response = await app.fetch(post(typeof body === "string" ? body : JSON.stringify(body)));
        expect([200, 400, 413, 501]).toContain(response.status);
        if (response.status !== 200)
          expect(((await response.json()) as { detail: unknown }).detail).toEqual(expect.any(String));
        else await response.arrayBuffer();
      }),
      { numRuns: 300 },
    );
    expect((await readEvents(await app.fetch(post(queryBody("still here"))))).at(0)).toEqual({
      event: "text",
      data: { text: "still here" },
    });
  });
});

describe("forward compatibility", () => {
  it("accepts unknown keys, roles, content types, feedback types and attachment kinds, and keeps unknown roles", async () => {
    let seen: QueryRequest | undefined;
    class Spy extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        seen = request;
        yield "ok";
      }
    }
    const { app } = openApp(new Spy());
    const body = queryBody("x", {
      future_field: { nested: true },
      query: [
        { role: "narrator", content: "once upon a time", brand_new: 1 },
        {
          role: "user",
          content: "hi",
          content_type: "text/x-future",
          feedback: [{ type: "meh" }],
          attachments: [{ url: "https://x/y", content_type: "model/gltf", name: "y", extra: 1 }],
        },
      ],
    });
    const response = await app.fetch(post(body));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(seen?.query.map((m) => m.role)).toEqual(["narrator", "user"]);
    expect((seen as Record<string, unknown> | undefined)?.future_field).toEqual({ nested: true });
    expect(seen?.query[1]?.feedback).toEqual([{ type: "meh", reason: null }]);
  });

  it("accepts null for every optional field, as Poe's pydantic servers send", async () => {
    const { app } = openApp();
    const body = queryBody("x", {
      metadata: null,
      temperature: null,
      skip_system_prompt: null,
      logit_bias: null,
      stop_sequences: null,
      language_code: null,
      users: null,
      tools: null,
      query: [
        {
          role: "user",
          content: "x",
          sender: null,
          parameters: null,
          attachments: null,
          feedback: null,
          reactions: null,
          timestamp: null,
        },
      ],
    });
    expect((await app.fetch(post(body))).status).toBe(200);
  });
});

describe("settings", () => {
  class Configured extends PoeBot {
    constructor(private readonly settings: unknown) {
      super();
    }
    override async getSettings() {
      return this.settings as SettingsResponse;
    }
  }

  it("sends only the fields the bot set, plus response_version 2", async () => {
    const { app } = openApp(
      new Configured({ introduction_message: "Hi", allow_attachments: true, rate_card: null }),
    );
    const response = await app.fetch(post({ version: "1.2", type: "settings" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      introduction_message: "Hi",
      allow_attachments: true,
      response_version: 2,
    });
  });

  it("sends {response_version: 2} for a bot that sets nothing", async () => {
    const { app } = openApp();
    expect(await (await app.fetch(post({ version: "1.2", type: "settings" }))).json()).toEqual({
      response_version: 2,
    });
  });

  it("answers 500 naming the field when the bot's settings are invalid, and logs it", async () => {
    const { app, logger } = openApp(new Configured({ allow_attachments: "yes" }));
    const body = await expectJsonError(
      await app.fetch(post({ version: "1.2", type: "settings" })),
      500,
      /allow_attachments/,
    );
    expect(body).toHaveProperty("issues");
    expect(logger.lines.join("\n")).toMatch(/invalid settings: allow_attachments/);
  });

  it("validates parameter controls", async () => {
    const controls = {
      sections: [
        { controls: [{ control: "slider", label: "T", parameter_name: "t", min_value: 0, max_value: 1 }] },
      ],
    };
    const { app } = openApp(new Configured({ parameter_controls: controls }));
    await expectJsonError(
      await app.fetch(post({ version: "1.2", type: "settings" })),
      500,
      /parameter_controls\.sections\[0\]\.controls\[0\]\.step/,
    );
  });
});

describe("report requests", () => {
  const feedback = {
    version: "1.2",
    type: "report_feedback",
    message_id: "m",
    user_id: "u",
    conversation_id: "c",
    feedback_type: "like",
  };
  const reaction = {
    version: "1.2",
    type: "report_reaction",
    message_id: "m",
    user_id: "u",
    conversation_id: "c",
    reaction: "❤️",
  };
  const error = { version: "1.2", type: "report_error", message: "no done", metadata: { message_id: "m" } };

  it("calls each hook with the parsed request and context, and answers 200 {}", async () => {
    const calls: Array<[string, unknown, RequestContext?]> = [];
    class Hooks extends PoeBot {
      override async onFeedbackWithContext(request: ReportFeedbackRequest, context: RequestContext) {
        calls.push(["feedback", request, context]);
      }
      override async onReaction(request: unknown) {
        calls.push(["reaction", request]);
      }
      override async onError(request: unknown) {
        calls.push(["error", request]);
      }
    }
    const { app } = openApp(new Hooks());
    for (const body of [feedback, reaction, error]) {
      const response = await app.fetch(post(body));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
    }
    expect(calls.map(([kind, request]) => [kind, request])).toEqual([
      ["feedback", feedback],
      ["reaction", reaction],
      ["error", error],
    ]);
    expect(calls[0]?.[2]?.request.method).toBe("POST");
  });

  it("logs a throwing hook and still answers 200 {}", async () => {
    class Broken extends PoeBot {
      override async onFeedback(): Promise<void> {
        throw new Error("hook broke");
      }
    }
    const { app, logger } = openApp(new Broken());
    const response = await app.fetch(post(feedback));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(logger.lines.join("\n")).toMatch(/report_feedback hook failed/);
  });
});

describe("query responses", () => {
  it("streams SSE with the protocol's headers and CRLF framing", async () => {
    const { app } = openApp();
    const response = await app.fetch(post(queryBody("Hello")));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    expect(await response.text()).toBe(
      'event: text\r\ndata: {"text":"Hello"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n',
    );
  });

  it("maps every response kind to its event, in order", async () => {
    class Tour extends PoeBot {
      override async *getResponse() {
        yield new MetaResponse({ content_type: "text/plain", suggested_replies: false });
        yield "a";
        yield new PartialResponse({ text: "b" });
        yield new PartialResponse({ text: "c", is_replace_response: true });
        yield new PartialResponse({ text: "more?", is_suggested_reply: true });
        yield new DataResponse({ metadata: '{"turn":1}' });
        yield { event: "json", data: { choices: [] } };
        yield new ErrorResponse({ text: "stop", allow_retry: false, error_type: "user_caused_error" });
      }
    }
    const { app } = openApp(new Tour());
    expect(await readEvents(await app.fetch(post(queryBody())))).toEqual([
      {
        event: "meta",
        data: {
          content_type: "text/plain",
          refetch_settings: false,
          linkify: true,
          suggested_replies: false,
        },
      },
      { event: "text", data: { text: "a" } },
      { event: "text", data: { text: "b" } },
      { event: "replace_response", data: { text: "c" } },
      { event: "suggested_reply", data: { text: "more?" } },
      { event: "data", data: { metadata: '{"turn":1}' } },
      { event: "json", data: { choices: [] } },
      { event: "error", data: { allow_retry: false, text: "stop", error_type: "user_caused_error" } },
      { event: "done", data: {} },
    ]);
  });

  it("turns a throw after two texts into text, text, error, done — no stack to Poe, the stack logged", async () => {
    class Flaky extends PoeBot {
      override async *getResponse() {
        yield "one";
        yield "two";
        throw new RangeError("upstream fell over");
      }
    }
    const { app, logger } = openApp(new Flaky());
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events).toEqual([
      { event: "text", data: { text: "one" } },
      { event: "text", data: { text: "two" } },
      {
        event: "error",
        data: {
          allow_retry: false,
          text: "The bot encountered an unexpected error.",
          raw_response: "RangeError: upstream fell over",
        },
      },
      { event: "done", data: {} },
    ]);
    expect(logger.errors[0]).toBeInstanceOf(RangeError);
    expect(logger.lines.join("\n")).toContain("(message m-1) failed");
  });

  it("turns a yielded value that is not a response into an error event and done", async () => {
    class Wrong extends PoeBot {
      override getResponse() {
        return (async function* () {
          yield "fine";
          yield 42;
        })() as AsyncIterable<string>;
      }
    }
    const { app } = openApp(new Wrong());
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events.map((e) => e.event)).toEqual(["text", "error", "done"]);
    expect(events[1]?.data).toMatchObject({
      allow_retry: false,
      raw_response: expect.stringMatching(/not a response/),
    });
  });

  it("answers a getResponse that is not a generator with an error event", async () => {
    class NotAGenerator extends PoeBot {
      override getResponse() {
        return 5 as unknown as AsyncIterable<string>;
      }
    }
    const { app } = openApp(new NotAGenerator());
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events.map((e) => e.event)).toEqual(["error", "done"]);
  });

  it("ends with exactly one done, also when the bot yields its own done", async () => {
    class Done extends PoeBot {
      override async *getResponse() {
        yield "a";
        yield { event: "done", data: {} };
        yield "never sent";
      }
    }
    const { app } = openApp(new Done());
    expect((await readEvents(await app.fetch(post(queryBody())))).map((e) => e.event)).toEqual([
      "text",
      "done",
    ]);
  });

  it("answers an empty query list with an error event, not a 5xx", async () => {
    const { app } = openApp();
    const response = await app.fetch(post(queryBody("x", { query: [] })));
    expect(response.status).toBe(200);
    expect((await readEvents(response)).map((e) => e.event)).toEqual(["text", "done"]);
  });

  it("turns InsufficientFundError into an insufficient_fund error event", async () => {
    class Poor extends PoeBot {
      override getResponse(): AsyncIterable<string> {
        return {
          [Symbol.asyncIterator]: () => ({
            next: () => Promise.reject(new InsufficientFundError()),
          }),
        };
      }
    }
    const { app } = openApp(new Poor());
    expect(await readEvents(await app.fetch(post(queryBody())))).toEqual([
      { event: "error", data: { allow_retry: true, text: "", error_type: "insufficient_fund" } },
      { event: "done", data: {} },
    ]);
  });

  it("writes a file event just before the response that carries the attachment", async () => {
    class Files extends PoeBot {
      override async *getResponse() {
        yield "look:";
        const attachment = {
          url: "https://f/cat.png",
          content_type: "image/png",
          name: "cat.png",
          inline_ref: "abc",
          parsed_content: null,
        };
        yield new PartialResponse({ text: "![cat][abc]", is_replace_response: true, attachment });
      }
    }
    const { app } = openApp(new Files());
    expect((await readEvents(await app.fetch(post(queryBody())))).slice(1)).toEqual([
      {
        event: "file",
        data: { url: "https://f/cat.png", content_type: "image/png", name: "cat.png", inline_ref: "abc" },
      },
      { event: "replace_response", data: { text: "![cat][abc]" } },
      { event: "done", data: {} },
    ]);
  });

  it("writes a file alone, without an empty text event, when its response has no text", async () => {
    class FileOnly extends PoeBot {
      override async *getResponse() {
        const attachment = {
          url: "u",
          content_type: "text/plain",
          name: "a.txt",
          inline_ref: null,
          parsed_content: null,
        };
        yield new PartialResponse({ text: "", attachment });
        yield new PartialResponse({ text: "", is_replace_response: true, attachment });
      }
    }
    const { app } = openApp(new FileOnly());
    const file = {
      event: "file",
      data: { url: "u", content_type: "text/plain", name: "a.txt", inline_ref: null },
    };
    expect(await readEvents(await app.fetch(post(queryBody())))).toEqual([
      file,
      file,
      { event: "replace_response", data: { text: "" } },
      { event: "done", data: {} },
    ]);
  });

  it("writes queued file events before the next item, and the rest before done", async () => {
    class Queued extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        messageFilesOf(this).queue(request.message_id, {
          url: "u1",
          content_type: "text/plain",
          name: "a.txt",
          inline_ref: null,
        });
        yield "first";
        messageFilesOf(this).queue(request.message_id, {
          url: "u2",
          content_type: "text/plain",
          name: "b.txt",
          inline_ref: null,
        });
      }
    }
    const { app } = openApp(new Queued());
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events.map((e) => [e.event, (e.data as { url?: string }).url])).toEqual([
      ["file", "u1"],
      ["text", undefined],
      ["file", "u2"],
      ["done", undefined],
    ]);
  });

  it("gives the bot its own key as access_key, or <missing>", async () => {
    const keys: string[] = [];
    class Keys extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        keys.push(request.access_key, request.api_key);
        yield "k";
      }
    }
    await (await openApp(new Keys()).app.fetch(post(queryBody("x", { access_key: "forged" })))).text();
    const keyed = openApp(new Keys({ accessKey: TEST_KEY })).app;
    await (await keyed.fetch(post(queryBody(), { authorization: `Bearer ${TEST_KEY}` }))).text();
    expect(keys).toEqual(["<missing>", "<missing>", TEST_KEY, TEST_KEY]);
  });

  it("inserts attachment messages unless the bot opts out", async () => {
    const lengths: number[] = [];
    class Count extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        lengths.push(request.query.length);
        yield "n";
      }
    }
    const attachments = [
      { url: "https://f/a.txt", content_type: "text/plain", name: "a.txt", parsed_content: "alpha" },
    ];
    const body = queryBody("x", { query: [{ role: "user", content: "read it", attachments }] });
    await (await openApp(new Count()).app.fetch(post(body))).text();
    await (await openApp(new Count({ shouldInsertAttachmentMessages: false })).app.fetch(post(body))).text();
    expect(lengths).toEqual([2, 1]);
  });
});

describe("streaming mechanics", () => {
  afterEach(() => vi.useRealTimers());

  it("writes a ': ping' comment while the bot is silent", async () => {
    class Slow extends PoeBot {
      override async *getResponse() {
        await sleep(120);
        yield "late";
      }
    }
    const { app } = openApp(new Slow(), { pingIntervalMs: 20 });
    const text = await (await app.fetch(post(queryBody()))).text();
    expect(text).toMatch(/^(: ping\r\n\r\n)+event: text/);
  });

  it("pulls the bot only as fast as the client reads", async () => {
    let pulls = 0;
    class Firehose extends PoeBot {
      override async *getResponse() {
        for (let i = 0; i < 1_000_000; i++) {
          pulls++;
          yield "0123456789";
        }
      }
    }
    const { app } = openApp(new Firehose());
    const response = await app.fetch(post(queryBody()));
    const reader = response.body?.getReader();
    let received = 0;
    for (let i = 0; i < 5; i++) received += (await reader?.read())?.value?.byteLength ?? 0;
    await sleep(100);
    const afterPause = pulls;
    await sleep(100);
    // Ready items are written in chunks of at most 16 KiB; beyond the 5 chunks read, at most the
    // stream's one queued chunk and one item in hand are pulled.
    const eventBytes = 'event: text\r\ndata: {"text":"0123456789"}\r\n\r\n'.length;
    expect(received).toBeLessThanOrEqual(5 * (16 * 1024 + eventBytes));
    expect(afterPause).toBeLessThanOrEqual(
      Math.ceil(received / eventBytes) + Math.ceil((16 * 1024) / eventBytes) + 2,
    );
    expect(pulls).toBe(afterPause);
    await reader?.cancel();
  });

  it("stops the generator and aborts context.signal when the client goes away", async () => {
    let finallyRan = false;
    let signal: AbortSignal | undefined;
    class Endless extends PoeBot {
      override async *getResponseWithContext(_request: QueryRequest, context: RequestContext) {
        signal = context.signal;
        try {
          for (;;) {
            yield "tick";
            await sleep(5);
          }
        } finally {
          finallyRan = true;
        }
      }
    }
    const { app } = openApp(new Endless());
    const reader = (await app.fetch(post(queryBody()))).body?.getReader();
    await reader?.read();
    await reader?.cancel();
    await vi.waitFor(() => expect(finallyRan).toBe(true));
    expect(signal?.aborted).toBe(true);
    expect(app.openStreams).toBe(0);
  });

  it("does not abort context.signal after a normal end", async () => {
    let signal: AbortSignal | undefined;
    class Quick extends PoeBot {
      override async *getResponseWithContext(_request: QueryRequest, context: RequestContext) {
        signal = context.signal;
        yield "done soon";
      }
    }
    const { app } = openApp(new Quick());
    await (await app.fetch(post(queryBody()))).text();
    expect(signal?.aborted).toBe(false);
  });
});

describe("Poe's limits", () => {
  class Chatty extends PoeBot {
    override async *getResponse() {
      for (let i = 0; i < 20; i++) yield "0123456789";
    }
  }

  it("logs a warning naming the bot and message by default, and sends everything", async () => {
    const { app, logger } = openApp(new Chatty({ botName: "ChattyBot" }), { limits: { maxCharacters: 50 } });
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events).toHaveLength(21);
    const warnings = logger.lines.filter((line) => line.startsWith("warn"));
    expect(warnings).toEqual([
      expect.stringMatching(/ChattyBot \(message m-1\).*60 characters of text, over Poe's limit of 50/),
    ]);
  });

  it("counts characters as Poe does, in code points: 40 emoji are 40, not 80", async () => {
    class Emoji extends PoeBot {
      override async *getResponse() {
        for (let i = 0; i < 4; i++) yield "👋".repeat(10);
      }
    }
    const within = openApp(new Emoji({ botName: "EmojiBot" }), { limits: { maxCharacters: 40 } });
    await readEvents(await within.app.fetch(post(queryBody())));
    expect(within.logger.lines.filter((line) => line.startsWith("warn"))).toEqual([]);
    const over = openApp(new Emoji({ botName: "EmojiBot" }), { limits: { maxCharacters: 39 } });
    await readEvents(await over.app.fetch(post(queryBody())));
    expect(over.logger.lines.filter((line) => line.startsWith("warn"))).toEqual([
      expect.stringMatching(/40 characters of text, over Poe's limit of 39/),
    ]);
  });

  it("ends the response with an error event under strictLimits", async () => {
    const { app } = openApp(new Chatty(), { limits: { maxEvents: 5 }, strictLimits: true });
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events.map((e) => e.event)).toEqual(["text", "text", "text", "text", "text", "error", "done"]);
    expect(events[5]?.data).toMatchObject({
      allow_retry: false,
      text: expect.stringMatching(/6 events, over Poe's limit of 5/),
    });
  });

  it("ends a response that runs past the time limit under strictLimits", async () => {
    let finallyRan = false;
    class Sleepy extends PoeBot {
      override async *getResponse() {
        try {
          yield "start";
          await sleep(300);
          yield "too late";
        } finally {
          finallyRan = true;
        }
      }
    }
    const { app } = openApp(new Sleepy(), {
      limits: { maxDurationMs: 50 },
      pingIntervalMs: 20,
      strictLimits: true,
    });
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events.map((e) => e.event)).toEqual(["text", "error", "done"]);
    await vi.waitFor(() => expect(finallyRan).toBe(true));
  });
});

describe("several bots and configuration", () => {
  it("serves each bot on its own path", async () => {
    class Named extends PoeBot {
      override async *getResponse() {
        yield this.path;
      }
    }
    const app = makeApp([new Named({ path: "/a", accessKey: TEST_KEY }), new Named({ path: "/b/" })], {
      allowWithoutKey: true,
      logger: recordingLogger(),
    });
    expect([...app.bots.keys()]).toEqual(["/a", "/b"]);
    expect(
      (await readEvents(await app.fetch(post(queryBody(), { authorization: `Bearer ${TEST_KEY}` }, "/a"))))[0]
        ?.data,
    ).toEqual({ text: "/a" });
    expect((await readEvents(await app.fetch(post(queryBody(), {}, "/b"))))[0]?.data).toEqual({
      text: "/b/",
    });
    expect((await app.fetch(post(queryBody(), {}, "/a"))).status).toBe(401);
  });

  it("refuses duplicate paths at makeApp time", () => {
    expect(() => makeApp([new EchoBot(), new EchoBot({ path: "/" })], { allowWithoutKey: true })).toThrow(
      /Two bots use the path \//,
    );
  });

  it("refuses a bot without key unless allowWithoutKey, explaining both options", () => {
    expect(() => makeApp(new EchoBot(), { env: {} })).toThrow(PoeConfigError);
    expect(() => makeApp(new EchoBot(), { env: {} })).toThrow(/POE_ACCESS_KEY.*allowWithoutKey/s);
  });

  it("takes the key from the options or POE_ACCESS_KEY, and requires 32 characters", async () => {
    expect(makeApp(new EchoBot(), { accessKey: TEST_KEY }).bots.get("/")?.accessKey).toBe(TEST_KEY);
    expect(makeApp(new EchoBot(), { env: { POE_ACCESS_KEY: TEST_KEY } }).bots.get("/")?.accessKey).toBe(
      TEST_KEY,
    );
    expect(() => makeApp(new EchoBot(), { accessKey: "short" })).toThrow(
      /5 characters long; Poe access keys are exactly 32/,
    );
    expect(() => makeApp(new EchoBot(), { env: { POE_ACCESS_KEY: "x".repeat(33) } })).toThrow(
      /POE_ACCESS_KEY is 33 characters/,
    );
    expect(() => makeApp(new EchoBot(), { accessKey: "short", allowWithoutKey: true })).toThrow(
      PoeConfigError,
    );
    expect(() => makeApp(new EchoBot({ accessKey: "abc" }), { allowWithoutKey: true })).toThrow(
      /3 characters long/,
    );
  });

  it("refuses accessKey and botName options with several bots", () => {
    expect(() => makeApp([new EchoBot()], { accessKey: TEST_KEY })).toThrow(
      /set accessKey and botName on each bot/,
    );
  });

  it("refuses something that is not a bot", () => {
    expect(() => makeApp({} as PoeBot, { allowWithoutKey: true })).toThrow(/takes a PoeBot/);
  });
});
