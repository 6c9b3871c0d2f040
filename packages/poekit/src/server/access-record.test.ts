import { describe, expect, it } from "vitest";
import { streamRequest } from "../client/stream-request.js";
import type { LogFields } from "../core/log-fields.js";
import { ErrorResponse } from "../core/responses.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { fakeFetch, sseResponse } from "../test-support/fake-fetch.js";
import { post, queryBody, TEST_KEY } from "../test-support/requests.js";
import type { RequestRecord } from "./access-record.js";
import { type MakeAppOptions, makeApp } from "./make-app.js";
import { PoeBot } from "./poe-bot.js";

class ChattyBot extends PoeBot {
  override async *getResponse(_request: QueryRequest) {
    yield "Hello ";
    await new Promise((resolve) => setTimeout(resolve, 1));
    yield "there";
  }
}

/** An app whose records are collected, and whose access lines go to `lines`. */
function recordingApp(bot: PoeBot, options: MakeAppOptions = {}) {
  const records: RequestRecord[] = [];
  const lines: Array<{ message: string; fields: LogFields | undefined }> = [];
  const app = makeApp(bot, {
    allowWithoutKey: true,
    env: {},
    accessLog: true,
    logger: {
      info: (message, fields) => lines.push({ message, fields }),
      warn() {},
      error() {},
    },
    onRequestEnd: (record) => records.push(record),
    ...options,
  });
  return { app, records, lines };
}

describe("the record of each request", () => {
  it("gives a streamed query's ids, timings, counts and outcome, to the hook and the access line", async () => {
    const { app, records, lines } = recordingApp(new ChattyBot({ botName: "Chatty" }));
    const response = await app.fetch(post(queryBody("a secret"), { "x-request-id": "abc-1" }));
    await response.text();
    expect(records).toHaveLength(1);
    const [record] = records as [RequestRecord];
    expect(record).toMatchObject({
      requestId: "abc-1",
      method: "POST",
      path: "/",
      bot: "Chatty",
      type: "query",
      status: 200,
      conversationId: "c-1",
      messageId: "m-1",
      events: 2,
      characters: "Hello there".length,
      outcome: "done",
      upstreamCalls: 0,
    });
    expect(Date.parse(record.startedAt)).not.toBeNaN();
    expect(record.firstByteMs).toBeGreaterThanOrEqual(0);
    expect(record.durationMs).toBeGreaterThanOrEqual(record.firstByteMs as number);
    expect(lines).toEqual([{ message: `query / 200 done in ${record.durationMs} ms`, fields: record }]);
  });

  it("records a bot that throws, and one that yields an error event, as error", async () => {
    class Thrower extends PoeBot {
      override async *getResponse() {
        yield "partial";
        throw new Error("boom");
      }
    }
    class Refuser extends PoeBot {
      override async *getResponse() {
        yield new ErrorResponse({ text: "no", allow_retry: false });
      }
    }
    for (const bot of [new Thrower(), new Refuser()]) {
      const { app, records } = recordingApp(bot);
      await (await app.fetch(post(queryBody()))).text();
      expect(records.map((record) => record.outcome)).toEqual(["error"]);
    }
  });

  it("records a client that leaves as client_gone", async () => {
    class Endless extends PoeBot {
      override async *getResponse() {
        for (;;) {
          yield "more ";
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
    }
    const { app, records } = recordingApp(new Endless());
    const response = await app.fetch(post(queryBody()));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    expect(records).toMatchObject([{ outcome: "client_gone", status: 200 }]);
  });

  it("records a response stopped at one of Poe's limits as limit", async () => {
    const { app, records } = recordingApp(new ChattyBot(), { strictLimits: true, limits: { maxEvents: 1 } });
    await (await app.fetch(post(queryBody()))).text();
    expect(records).toMatchObject([{ outcome: "limit", events: 2 }]);
  });

  it("records a response cut short by shutdown as shutdown", async () => {
    class Waiting extends PoeBot {
      override async *getResponse() {
        yield "start";
        await new Promise((resolve) => setTimeout(resolve, 60_000));
      }
    }
    const { app, records } = recordingApp(new Waiting());
    const response = await app.fetch(post(queryBody()));
    const text = response.text();
    expect(await app.drain(0)).toBe(1);
    await text;
    expect(records).toMatchObject([{ outcome: "shutdown" }]);
  });

  it("counts the upstream calls made while answering, the rebuilt request's too", async () => {
    const fetch = fakeFetch([
      sseResponse([
        ["text", { text: "up" }],
        ["done", {}],
      ]),
    ]);
    class Forwarder extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        for await (const message of streamRequest(request, "Up", TEST_KEY, { fetch })) yield message;
        const more = { ...request, query: [...request.query, { role: "bot" as const, content: "again" }] };
        for await (const message of streamRequest(more, "Up", TEST_KEY, { fetch })) yield message;
      }
    }
    const { app, records } = recordingApp(new Forwarder());
    await (await app.fetch(post(queryBody()))).text();
    expect(fetch.requests).toHaveLength(2);
    expect(records).toMatchObject([{ outcome: "done", upstreamCalls: 2 }]);
  });

  it("records other requests with their status: settings, a report, a wrong key, no bot", async () => {
    const { app, records } = recordingApp(new PoeBot({ botName: "Keyed", accessKey: TEST_KEY }), {
      allowWithoutKey: false,
    });
    const auth = { authorization: `Bearer ${TEST_KEY}` };
    await app.fetch(post({ version: "1.2", type: "settings" }, auth));
    await app.fetch(
      post(
        {
          version: "1.2",
          type: "report_feedback",
          message_id: "m-9",
          user_id: "u",
          conversation_id: "c-9",
          feedback_type: "like",
        },
        auth,
      ),
    );
    await app.fetch(post(queryBody(), { authorization: "Bearer wrong" }));
    await app.fetch(post(queryBody(), auth, "/nowhere"));
    expect(records.map(({ type, status, outcome, bot }) => ({ type, status, outcome, bot }))).toEqual([
      { type: "settings", status: 200, outcome: "done", bot: "Keyed" },
      { type: "report_feedback", status: 200, outcome: "done", bot: "Keyed" },
      { type: undefined, status: 401, outcome: "rejected", bot: "Keyed" },
      { type: undefined, status: 404, outcome: "rejected", bot: undefined },
    ]);
    expect(records[1]).toMatchObject({ conversationId: "c-9", messageId: "m-9" });
    expect(records[0]?.events).toBeUndefined();
  });

  it("goes on answering when the hook throws, and logs that it did", async () => {
    const errors: string[] = [];
    const app = makeApp(new ChattyBot(), {
      allowWithoutKey: true,
      env: {},
      logger: { info() {}, warn() {}, error: (message) => errors.push(message) },
      onRequestEnd: () => {
        throw new Error("metrics down");
      },
    });
    const text = await (await app.fetch(post(queryBody()))).text();
    expect(text).toContain("event: done");
    expect(errors).toEqual(["onRequestEnd failed"]);
  });

  it("writes no access line unless asked (makeApp's default)", async () => {
    const lines: string[] = [];
    const app = makeApp(new ChattyBot(), {
      allowWithoutKey: true,
      env: {},
      logger: { info: (message) => lines.push(message), warn() {}, error() {} },
    });
    await (await app.fetch(post(queryBody()))).text();
    expect(lines).toEqual([]);
  });
});
