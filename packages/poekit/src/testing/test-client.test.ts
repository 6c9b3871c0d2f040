import { describe, expect, it } from "vitest";
import { HTTPError } from "../core/errors.js";
import { silentLogger } from "../core/logger.js";
import { ErrorResponse, MetaResponse } from "../core/responses.js";
import { isIdentifier } from "../protocol/identifiers.js";
import type { QueryRequest } from "../protocol/query-request.js";
import type { ReportErrorRequest } from "../protocol/report-error-request.js";
import type { ReportFeedbackRequest } from "../protocol/report-feedback-request.js";
import type { ReportReactionRequest } from "../protocol/report-reaction-request.js";
import type { SettingsResponse } from "../protocol/settings-response.js";
import { makeApp } from "../server/make-app.js";
import type { PoeApp } from "../server/poe-app.js";
import { PoeBot } from "../server/poe-bot.js";
import {
  dataEvent,
  fileEvent,
  replaceResponseEvent,
  suggestedReplyEvent,
  textEvent,
} from "../server/raw-events.js";
import { TEST_KEY } from "../test-support/requests.js";
import { createTestClient } from "./test-client.js";

class EchoBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    yield request.query.at(-1)?.content ?? "";
  }
}

/** Remembers every request it gets and answers with the number of messages. */
class RecordingBot extends PoeBot {
  readonly requests: QueryRequest[] = [];
  override async *getResponse(request: QueryRequest) {
    this.requests.push(request);
    yield `${request.query.length} messages`;
  }
}

describe("query", () => {
  it("sends one user message and sums up the answer", async () => {
    const client = createTestClient(new EchoBot());
    const response = await client.query("Hello");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.text).toBe("Hello");
    expect(response.events).toEqual([
      { event: "text", data: { text: "Hello" } },
      { event: "done", data: {} },
    ]);
    expect(response.done).toBe(true);
    expect(response.error).toBeNull();
    expect(response.meta).toBeNull();
    expect(response.data).toBeNull();
    expect(response.body).toBeNull();
    expect(response.raw).toContain("event: text\r\n");
  });

  it("fills version, type and ids like Poe: the same user and conversation, a new message id each time", async () => {
    const bot = new RecordingBot();
    const client = createTestClient(bot);
    await client.query("one");
    await client.query("two");
    const [first, second] = bot.requests;
    expect(first?.version).toBe("1.2");
    expect(first?.type).toBe("query");
    expect(isIdentifier(first?.user_id, "u")).toBe(true);
    expect(isIdentifier(first?.conversation_id, "c")).toBe(true);
    expect(isIdentifier(first?.message_id, "m")).toBe(true);
    expect(second?.user_id).toBe(client.userId);
    expect(second?.conversation_id).toBe(client.conversationId);
    expect(second?.message_id).not.toBe(first?.message_id);
  });

  it("takes a conversation: strings are user messages, objects are sent as written", async () => {
    const bot = new RecordingBot();
    const response = await createTestClient(bot).query([
      "Hi",
      { role: "bot", content: "Hello!" },
      { role: "user", content: "How are you?", content_type: "text/plain" },
    ]);
    expect(response.text).toBe("3 messages");
    const query = bot.requests[0]?.query ?? [];
    expect(query.map((message) => [message.role, message.content])).toEqual([
      ["user", "Hi"],
      ["bot", "Hello!"],
      ["user", "How are you?"],
    ]);
    expect(query[2]?.content_type).toBe("text/plain");
  });

  it("takes part of a request, and overrides of any field", async () => {
    const bot = new RecordingBot();
    const client = createTestClient(bot, { userId: "u-fixed", conversationId: "c-fixed" });
    await client.query(
      { query: ["Hi"], temperature: 0.2, bot_query_id: "q-1" },
      { message_id: "m-fixed", language_code: "fr" },
    );
    expect(bot.requests[0]).toMatchObject({
      user_id: "u-fixed",
      conversation_id: "c-fixed",
      message_id: "m-fixed",
      temperature: 0.2,
      bot_query_id: "q-1",
      language_code: "fr",
    });
  });

  it("shows the text as Poe would: appended, replaced, with suggested replies, files, meta and data", async () => {
    class RichBot extends PoeBot {
      override async *getResponse() {
        yield new MetaResponse({ content_type: "text/plain" });
        yield "draft";
        yield replaceResponseEvent("Final ");
        yield textEvent("answer");
        yield fileEvent({ url: "https://files.test/a.png", content_type: "image/png", name: "a.png" });
        yield dataEvent("first");
        yield dataEvent("last");
        yield suggestedReplyEvent("More?");
        yield suggestedReplyEvent("Less?");
      }
    }
    const response = await createTestClient(new RichBot()).query("go");
    expect(response.text).toBe("Final answer");
    expect(response.suggestedReplies).toEqual(["More?", "Less?"]);
    expect(response.files).toEqual([
      { url: "https://files.test/a.png", content_type: "image/png", name: "a.png", inline_ref: null },
    ]);
    expect(response.meta).toMatchObject({ content_type: "text/plain" });
    expect(response.data).toBe("last");
    expect(response.done).toBe(true);
  });

  it("reports an error event, from an ErrorResponse or a throwing bot", async () => {
    class RefusingBot extends PoeBot {
      override async *getResponse() {
        yield new ErrorResponse({ text: "No.", allow_retry: false });
      }
    }
    class ThrowingBot extends PoeBot {
      override getResponse(): AsyncIterable<string> {
        throw new RangeError("out of cheese");
      }
    }
    const refused = await createTestClient(new RefusingBot()).query("hi");
    expect(refused.error).toMatchObject({ text: "No.", allow_retry: false });
    expect(refused.done).toBe(true);

    const thrown = await createTestClient(new ThrowingBot()).query("hi");
    expect(thrown.status).toBe(200);
    expect(thrown.error).toMatchObject({
      allow_retry: false,
      text: "The bot encountered an unexpected error.",
    });
    expect(String(thrown.error?.raw_response)).toContain("out of cheese");
    expect(thrown.done).toBe(true);
  });

  it("says when a response does not end with exactly one done", async () => {
    const real = makeApp(new EchoBot(), { allowWithoutKey: true, logger: silentLogger, env: {} });
    const sse = (text: string): PoeApp => ({
      ...real,
      fetch: async () => new Response(text, { headers: { "content-type": "text/event-stream" } }),
    });
    const text = 'event: text\r\ndata: {"text":"a"}\r\n\r\n';
    const done = "event: done\r\ndata: {}\r\n\r\n";
    expect((await createTestClient(sse(text)).query("x")).done).toBe(false);
    expect((await createTestClient(sse(text + done + done)).query("x")).done).toBe(false);
    expect((await createTestClient(sse(done + text)).query("x")).done).toBe(false);
    expect((await createTestClient(sse(text + done)).query("x")).done).toBe(true);
  });

  it("leaves out of the summary what Poe leaves out: a late meta, bad data, events after done", async () => {
    // Before, the summary took a late meta, an error with a bad field and text sent after done.
    const real = makeApp(new EchoBot(), { allowWithoutKey: true, logger: silentLogger, env: {} });
    const body = [
      'event: text\r\ndata: {"text":"a"}\r\n\r\n',
      'event: meta\r\ndata: {"content_type":"text/plain"}\r\n\r\n',
      'event: error\r\ndata: {"allow_retry":"no"}\r\n\r\n',
      "event: done\r\ndata: {}\r\n\r\n",
      'event: text\r\ndata: {"text":"late"}\r\n\r\n',
    ].join("");
    const app: PoeApp = {
      ...real,
      fetch: async () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
    };
    const response = await createTestClient(app).query("x");
    expect(response.events.map((event) => event.event)).toEqual(["text", "meta", "error", "done", "text"]);
    expect(response.text).toBe("a");
    expect(response.meta).toBeNull();
    expect(response.error).toBeNull();
    expect(response.done).toBe(false);
  });

  it("answers an HTTP error with its status and JSON body, without events and without throwing", async () => {
    const client = createTestClient(new EchoBot({ accessKey: TEST_KEY }), { accessKey: null });
    const response = await client.query("Hello");
    expect(response.status).toBe(401);
    expect(response.events).toEqual([]);
    expect(response.done).toBe(false);
    expect(response.body).toMatchObject({ detail: expect.stringMatching(/Authorization/) });
    expect(response.raw).toContain("detail");
  });

  it("sends an invalid request as it is, so a bot's validation can be tested", async () => {
    const response = await createTestClient(new EchoBot()).query({ query: [{ role: "user" } as never] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      issues: [expect.objectContaining({ path: expect.stringContaining("content") })],
    });
  });
});

describe("authorization", () => {
  it("sends the bot's own key by default, as Poe does", async () => {
    const response = await createTestClient(new EchoBot({ accessKey: TEST_KEY })).query("Hi");
    expect(response.status).toBe(200);
    expect(response.text).toBe("Hi");
  });

  it("sends the given accessKey as a Bearer token", async () => {
    const bot = new EchoBot({ accessKey: TEST_KEY });
    expect((await createTestClient(bot, { accessKey: TEST_KEY }).query("x")).status).toBe(200);
    expect((await createTestClient(bot, { accessKey: "x".repeat(32) }).query("x")).status).toBe(401);
  });

  it("adds the headers option to every request, over accessKey", async () => {
    const seen: Array<string | null> = [];
    class HeaderBot extends PoeBot {
      override async *getResponseWithContext(_request: QueryRequest, context: { request: Request }) {
        seen.push(context.request.headers.get("x-test"), context.request.headers.get("authorization"));
        yield "ok";
      }
    }
    const client = createTestClient(new HeaderBot(), {
      accessKey: "ignored",
      headers: { "x-test": "yes", Authorization: "Bearer other" },
    });
    await client.query("hi");
    expect(seen).toEqual(["yes", "Bearer other"]);
  });
});

describe("what it serves", () => {
  it("talks to the bot at `path` when given several bots, else the first", async () => {
    const bots = [new EchoBot({ path: "/echo" }), new RecordingBot({ path: "/count" })];
    expect((await createTestClient(bots).query("a")).text).toBe("a");
    const counting = createTestClient(bots, { path: "/count" });
    expect(counting.path).toBe("/count");
    expect((await counting.query(["a", "b"])).text).toBe("2 messages");
  });

  it("uses an app from makeApp as it is", async () => {
    const app = makeApp(new EchoBot({ accessKey: TEST_KEY }), { logger: silentLogger, env: {} });
    const client = createTestClient(app);
    expect(client.app).toBe(app);
    expect((await client.query("Hi")).text).toBe("Hi");
  });

  it("does not pick up POE_ACCESS_KEY from the environment unless asked to", async () => {
    const bot = new EchoBot();
    createTestClient(bot);
    expect(bot.accessKey).toBeNull();
    createTestClient(new EchoBot(), { app: { allowWithoutKey: true, env: { POE_ACCESS_KEY: TEST_KEY } } });
    const keyed = new EchoBot();
    const client = createTestClient(keyed, { app: { env: { POE_ACCESS_KEY: TEST_KEY } } });
    expect(keyed.accessKey).toBe(TEST_KEY);
    expect((await client.query("Hi")).status).toBe(200);
  });
});

describe("stream", () => {
  it("yields events as the bot produces them", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    class SlowBot extends PoeBot {
      override async *getResponse() {
        yield "first";
        await gate;
        yield "second";
      }
    }
    const seen: unknown[] = [];
    for await (const event of createTestClient(new SlowBot()).stream("go")) {
      seen.push(event);
      if (seen.length === 1) release();
    }
    expect(seen).toEqual([
      { event: "text", data: { text: "first" } },
      { event: "text", data: { text: "second" } },
      { event: "done", data: {} },
    ]);
  });

  it("stops the bot when the test stops reading", async () => {
    let stopped = false;
    class EndlessBot extends PoeBot {
      override async *getResponse() {
        try {
          for (let i = 0; ; i++) {
            yield `${i} `;
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        } finally {
          stopped = true;
        }
      }
    }
    const client = createTestClient(new EndlessBot());
    for await (const event of client.stream("go")) {
      if (event.event === "text") break;
    }
    await expect.poll(() => stopped).toBe(true);
    expect(client.app.openStreams).toBe(0);
  });

  it("throws an HTTPError when the answer is not an event stream", async () => {
    const client = createTestClient(new EchoBot({ accessKey: TEST_KEY }), { accessKey: null });
    const reading = async () => {
      for await (const _ of client.stream("hi")) {
        // nothing arrives
      }
    };
    await expect(reading()).rejects.toThrow(HTTPError);
    await expect(reading()).rejects.toMatchObject({ status: 401, body: expect.stringContaining("detail") });
  });
});

describe("settings and reports", () => {
  it("returns the settings JSON", async () => {
    class SetBot extends PoeBot {
      override async getSettings(): Promise<SettingsResponse> {
        return { introduction_message: "Hi!", server_bot_dependencies: { "GPT-4o": 1 } };
      }
    }
    expect(await createTestClient(new SetBot()).settings()).toEqual({
      introduction_message: "Hi!",
      server_bot_dependencies: { "GPT-4o": 1 },
      response_version: 2,
    });
  });

  it("throws an HTTPError naming the problem when the settings are invalid", async () => {
    class BadBot extends PoeBot {
      override async getSettings(): Promise<SettingsResponse> {
        return { allow_attachments: "yes" as never };
      }
    }
    const settings = createTestClient(new BadBot()).settings();
    await expect(settings).rejects.toThrow(HTTPError);
    await expect(settings).rejects.toMatchObject({
      status: 500,
      body: expect.stringContaining("allow_attachments"),
    });
  });

  it("reports feedback, reactions and errors to the bot's hooks", async () => {
    const feedback: ReportFeedbackRequest[] = [];
    const reactions: ReportReactionRequest[] = [];
    const errors: ReportErrorRequest[] = [];
    class HookBot extends PoeBot {
      override async onFeedback(request: ReportFeedbackRequest) {
        feedback.push(request);
      }
      override async onReaction(request: ReportReactionRequest) {
        reactions.push(request);
      }
      override async onError(request: ReportErrorRequest) {
        errors.push(request);
      }
    }
    const client = createTestClient(new HookBot());
    const { text, events } = await client.query("hi");
    expect(text).toBe("hello");
    expect(events.length).toBe(2);

    expect(await client.feedback({ messageId: "m-1", feedbackType: "dislike" })).toEqual({
      status: 200,
      body: {},
    });
    expect(await client.reaction({ messageId: "m-1", reaction: "❤️", userId: "u-other" })).toEqual({
      status: 200,
      body: {},
    });
    expect(
      await client.reportError({ message: "Bot returned no text", metadata: { message_id: "m-1" } }),
    ).toEqual({ status: 200, body: {} });
    expect(feedback[0]).toMatchObject({
      type: "report_feedback",
      version: "1.2",
      message_id: "m-1",
      feedback_type: "dislike",
      user_id: client.userId,
      conversation_id: client.conversationId,
    });
    expect(reactions[0]).toMatchObject({ message_id: "m-1", reaction: "❤️", user_id: "u-other" });
    expect(errors[0]).toMatchObject({ message: "Bot returned no text", metadata: { message_id: "m-1" } });
  });
});
