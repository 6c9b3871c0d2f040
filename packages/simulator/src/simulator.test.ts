import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  PartialResponse,
  PoeBot,
  type QueryRequest,
  type ReportErrorRequest,
  type ReportFeedbackRequest,
  type SettingsResponse,
  streamRequest,
} from "poekit";
import { IDENTIFIER_PATTERN } from "poekit/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { builtinInProcessBots } from "./bots/in-process-bots.js";
import type { InProcessBot } from "./bots/registry.js";
import { DEFAULT_SIMULATOR_PORT } from "./defaults.js";
import type { ConversationRecord, ExchangeRecord, MessageRecord, RawEventRecord } from "./model.js";
import { type RunningSimulator, type StartSimulatorOptions, startSimulator } from "./start.js";

/** Records what Poe sends it and answers with what the test wants. */
class RecordingBot extends PoeBot {
  readonly queries: QueryRequest[] = [];
  readonly feedback: ReportFeedbackRequest[] = [];
  readonly errors: ReportErrorRequest[] = [];
  constructor(
    private readonly reply: (request: QueryRequest, bot: RecordingBot) => AsyncGenerator<PartialResponse>,
    private readonly settings: SettingsResponse = { allow_attachments: true },
  ) {
    super();
  }
  override async *getResponse(request: QueryRequest) {
    this.queries.push(request);
    yield* this.reply(request, this);
  }
  override async getSettings(): Promise<SettingsResponse> {
    return this.settings;
  }
  override async onFeedback(request: ReportFeedbackRequest): Promise<void> {
    this.feedback.push(request);
  }
  override async onError(request: ReportErrorRequest): Promise<void> {
    this.errors.push(request);
  }
}

const running: RunningSimulator[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

async function start(
  extra: InProcessBot[] = [],
  db = ":memory:",
  options: Partial<StartSimulatorOptions> = {},
): Promise<RunningSimulator> {
  const sim = await startSimulator({
    port: 0,
    db,
    inProcessBots: [...builtinInProcessBots(), ...extra],
    ...options,
  });
  running.push(sim);
  return sim;
}

function recording(name: string, bot: RecordingBot): InProcessBot {
  return { name, kind: "builtin", description: "test bot", bot };
}

async function api<T>(sim: RunningSimulator, method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sim.url}${url}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Sends a message and waits until every answer it started has finished. */
async function say(
  sim: RunningSimulator,
  conversation: ConversationRecord,
  text: string,
  extra: object = {},
) {
  const sent = await api<{ userMessage: MessageRecord; botMessages: MessageRecord[] }>(
    sim,
    "POST",
    `/api/conversations/${conversation.id}/messages`,
    { text, ...extra },
  );
  await sim.simulator.context.tasks.idle();
  const { messages } = await api<{ messages: MessageRecord[] }>(
    sim,
    "GET",
    `/api/conversations/${conversation.id}`,
  );
  return sent.botMessages.map((bot) => messages.find((message) => message.id === bot.id) as MessageRecord);
}

describe("the simulator", () => {
  it("lists its built-in bots and answers a message with Echo, recording the exchange", async () => {
    const sim = await start();
    const state = await api<{ bots: { name: string }[] }>(sim, "GET", "/api/state");
    expect(state.bots.map((bot) => bot.name)).toEqual(expect.arrayContaining(["Echo", "ScriptedLLM"]));

    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Echo",
    });
    const [answer] = await say(sim, conversation, "hello there");
    expect(answer).toMatchObject({ status: "complete", content: "hello there", botName: "Echo" });

    const { exchanges, events } = await api<{ exchanges: ExchangeRecord[]; events: RawEventRecord[] }>(
      sim,
      "GET",
      `/api/messages/${answer?.id}/exchanges`,
    );
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ status: "complete", httpStatus: 200, violations: [] });
    // Made like every other id the simulator hands out.
    expect(exchanges[0]?.id).toMatch(IDENTIFIER_PATTERN);
    expect(exchanges[0]?.timings.doneMs).toBeTypeOf("number");
    expect(events.map((event) => event.event)).toContain("done");
  });

  it("sends the history of the current context, and clears it", async () => {
    const bot = new RecordingBot(async function* () {
      yield new PartialResponse({ text: "ok" });
    });
    const sim = await start([recording("Recorder", bot)]);
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Recorder",
    });
    await say(sim, conversation, "one");
    await say(sim, conversation, "two");
    expect(bot.queries[1]?.query.map((message) => [message.role, message.content])).toEqual([
      ["user", "one"],
      ["bot", "ok"],
      ["user", "two"],
    ]);
    expect(bot.queries[1]?.conversation_id).toBe(bot.queries[0]?.conversation_id);

    await api(sim, "POST", `/api/conversations/${conversation.id}/clear`);
    await say(sim, conversation, "three");
    expect(bot.queries[2]?.query.map((message) => message.content)).toEqual(["three"]);
    expect(bot.queries[2]?.conversation_id).not.toBe(bot.queries[0]?.conversation_id);
  });

  it("retries an earlier answer with what it answered: no later turns, in its own context", async () => {
    const bot = new RecordingBot(async function* () {
      yield new PartialResponse({ text: "ok" });
    });
    const sim = await start([recording("Recorder", bot)]);
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Recorder",
    });
    const [first] = await say(sim, conversation, "one");
    await say(sim, conversation, "two");
    await api(sim, "POST", `/api/conversations/${conversation.id}/clear`);
    await say(sim, conversation, "three");

    const { botMessage } = await api<{ botMessage: MessageRecord }>(
      sim,
      "POST",
      `/api/messages/${first?.id}/retry`,
    );
    await sim.simulator.context.tasks.idle();
    const retried = bot.queries.at(-1);
    expect(retried?.message_id).toBe(botMessage.id);
    expect(retried?.query.map((message) => [message.role, message.content])).toEqual([["user", "one"]]);
    expect(retried?.conversation_id).toBe(bot.queries[0]?.conversation_id);
  });

  it("sends a message to the bots it @mentions, in turn, with the parameters chosen", async () => {
    const bot = new RecordingBot(async function* (request) {
      yield new PartialResponse({ text: `saw ${request.query.length} messages` });
    });
    const sim = await start([recording("Recorder", bot)]);
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Echo",
    });
    const answers = await say(sim, conversation, "@Echo and @recorder: hi", {
      parameters: { creativity: 0.7 },
    });
    expect(answers.map((answer) => [answer.botName, answer.status])).toEqual([
      ["Echo", "complete"],
      ["Recorder", "complete"],
    ]);
    // Multi-entity prompting (on by default) shows Recorder what Echo said before it.
    expect(bot.queries[0]?.query.map((message) => [message.role, message.sender?.name ?? null])).toEqual([
      ["user", null],
      ["bot", "Echo"],
    ]);
    expect(bot.queries[0]?.query[0]?.parameters).toEqual({ creativity: 0.7 });
  });

  it("answers messages sent in quick succession one after another, each seeing the answer before", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const bot = new RecordingBot(async function* (request) {
      if (request.query.at(-1)?.content === "one") await held;
      yield new PartialResponse({ text: `answer to ${request.query.at(-1)?.content}` });
    });
    const sim = await start([recording("Recorder", bot)]);
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Recorder",
    });
    const path = `/api/conversations/${conversation.id}/messages`;
    await api(sim, "POST", path, { text: "one" });
    await api(sim, "POST", path, { text: "two" });
    release();
    await sim.simulator.context.tasks.idle();
    expect(bot.queries.map((query) => query.query.map((message) => message.content))).toEqual([
      ["one"],
      ["one", "answer to one", "two"],
    ]);
  });

  it("sends likes to the bot as report_feedback", async () => {
    const bot = new RecordingBot(async function* () {
      yield new PartialResponse({ text: "rate me" });
    });
    const sim = await start([recording("Recorder", bot)]);
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Recorder",
    });
    const [answer] = await say(sim, conversation, "hi");
    const liked = await api<MessageRecord & { delivery: { delivered: boolean } }>(
      sim,
      "POST",
      `/api/messages/${answer?.id}/feedback`,
      { type: "like" },
    );
    expect(liked.delivery.delivered).toBe(true);
    expect(bot.feedback).toEqual([
      expect.objectContaining({ message_id: answer?.id, feedback_type: "like" }),
    ]);
  });

  it("parses an attached text file into parsed_content", async () => {
    const bot = new RecordingBot(async function* (request) {
      const attachment = request.query.at(-1)?.attachments[0];
      yield new PartialResponse({ text: `file says: ${attachment?.parsed_content}` });
    });
    const sim = await start([recording("Reader", bot)]);
    const form = new FormData();
    form.set("file", new Blob(["the secret word is cheese"], { type: "text/plain" }), "notes.txt");
    const upload = (await (await fetch(`${sim.url}/api/uploads`, { method: "POST", body: form })).json()) as {
      id: string;
    };
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Reader",
    });
    const [answer] = await say(sim, conversation, "read this", { attachments: [upload.id] });
    expect(answer?.content).toBe("file says: the secret word is cheese");
    const url = bot.queries[0]?.query.at(-1)?.attachments[0]?.url as string;
    expect(await (await fetch(url)).text()).toBe("the secret word is cheese");
  });

  it("describes an attached image, from its metadata or with the vision bot", async () => {
    const looker = new RecordingBot(
      async function* (request) {
        yield new PartialResponse({ text: String(request.query.at(-1)?.attachments[0]?.parsed_content) });
      },
      { allow_attachments: true, enable_image_comprehension: true },
    );
    const vision = new RecordingBot(async function* (request) {
      const image = request.query.at(-1)?.attachments[0];
      const bytes = image ? (await (await fetch(image.url)).arrayBuffer()).byteLength : 0;
      yield new PartialResponse({ text: `A tiny picture of ${bytes} bytes.` });
    });
    // A PNG signature and IHDR chunk: 3×2 pixels.
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000030000000208060000000000000000", "hex");
    for (const visionBot of [undefined, "Vision"]) {
      const sim = await start([recording("Looker", looker), recording("Vision", vision)], ":memory:", {
        visionBot,
      });
      const form = new FormData();
      form.set("file", new Blob([png], { type: "image/png" }), "dot.png");
      const upload = (await (
        await fetch(`${sim.url}/api/uploads`, { method: "POST", body: form })
      ).json()) as {
        id: string;
      };
      const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
        botName: "Looker",
      });
      const [answer] = await say(sim, conversation, "what is this?", { attachments: [upload.id] });
      expect(answer?.content).toMatch(
        visionBot
          ? /^dot\.png\*\*\*A tiny picture of 34 bytes\.$/
          : /^dot\.png\*\*\*An image \(PNG, 3×2 pixels/,
      );
    }
  });

  it("lets a bot call Echo and ScriptedLLM through the bot query API, nested in the inspector", async () => {
    let base = "";
    const caller = new RecordingBot(
      async function* (request) {
        for (const name of ["Echo", "ScriptedLLM"]) {
          for await (const part of streamRequest(request, name, request.access_key, { baseUrl: base })) {
            if (part instanceof PartialResponse && !part.is_suggested_reply)
              yield new PartialResponse({ text: part.text });
          }
          yield new PartialResponse({ text: "\n" });
        }
      },
      { server_bot_dependencies: { Echo: 1, ScriptedLLM: 1 } },
    );
    const sim = await start([recording("Caller", caller)]);
    base = `${sim.url}/bot/`;
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Caller",
    });
    const [answer] = await say(sim, conversation, "ping");
    expect(answer?.status).toBe("complete");
    expect(answer?.content).toContain("ping\n");
    expect(answer?.content).toContain('You said: "ping"');
    const { exchanges } = await api<{ exchanges: ExchangeRecord[] }>(
      sim,
      "GET",
      `/api/messages/${answer?.id}/exchanges`,
    );
    const root = exchanges.find((exchange) => exchange.parentId === null);
    expect(
      exchanges.filter((exchange) => exchange.parentId === root?.id).map((exchange) => exchange.botName),
    ).toEqual(["Echo", "ScriptedLLM"]);
  });

  it("refuses a call to a bot the caller did not declare", async () => {
    let base = "";
    const caller = new RecordingBot(async function* (request) {
      try {
        for await (const part of streamRequest(request, "Echo", request.access_key, {
          baseUrl: base,
          retries: 1,
        })) {
          if (part instanceof PartialResponse) yield part;
        }
      } catch (error) {
        yield new PartialResponse({ text: `refused: ${(error as Error).message}` });
      }
    });
    const sim = await start([recording("Caller", caller)]);
    base = `${sim.url}/bot/`;
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Caller",
    });
    const [answer] = await say(sim, conversation, "ping");
    expect(answer?.content).toMatch(/refused: .*server_bot_dependencies/);
  });

  it("deletes a conversation with what the inspector recorded for it", async () => {
    const sim = await start();
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Echo",
    });
    const [answer] = await say(sim, conversation, "forget me");
    const { store } = sim.simulator.context;
    const [exchange] = store.exchanges.listForMessage(answer?.id as string);
    expect(store.exchanges.rawEvents(exchange?.id as string)).not.toEqual([]);

    await api(sim, "DELETE", `/api/conversations/${conversation.id}`);
    expect(store.exchanges.get(exchange?.id as string)).toBeUndefined();
    expect(store.exchanges.rawEvents(exchange?.id as string)).toEqual([]);
  });

  it("keeps conversations across a restart", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "poekit-sim-"));
    try {
      const db = path.join(folder, "sim.db");
      const first = await start([], db);
      const conversation = await api<ConversationRecord>(first, "POST", "/api/conversations", {
        botName: "Echo",
      });
      await say(first, conversation, "remember me");
      await first.close();
      running.pop();

      const second = await start([], db);
      const { messages } = await api<{ messages: MessageRecord[] }>(
        second,
        "GET",
        `/api/conversations/${conversation.id}`,
      );
      expect(messages.map((message) => [message.role, message.content])).toEqual([
        ["user", "remember me"],
        ["bot", "remember me"],
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("answers bad input with 4xx JSON", async () => {
    const sim = await start();
    const cases: [string, string, string | undefined, number][] = [
      ["POST", "/api/conversations", "{not json", 400],
      ["POST", "/api/conversations", JSON.stringify({ botName: 7 }), 400],
      ["POST", "/api/conversations", JSON.stringify({ botName: "Nobody" }), 404],
      ["GET", "/api/conversations/c-missing", undefined, 404],
      ["POST", "/api/conversations/c-missing/messages", JSON.stringify({ text: "x" }), 404],
      ["POST", "/api/messages/m-missing/feedback", JSON.stringify({ type: "like" }), 404],
      ["POST", "/api/messages/m-missing/feedback", JSON.stringify({ type: "love" }), 400],
      ["POST", "/api/bots", JSON.stringify({ name: "bad name!", url: "http://x" }), 400],
      ["POST", "/api/bots", JSON.stringify({ name: "Ok", url: "ftp://x" }), 400],
      ["POST", "/api/bots/Nobody/settings", undefined, 404],
      ["DELETE", "/api/bots/Nobody", undefined, 404],
      ["DELETE", "/api/bots/Echo", undefined, 400],
      ["PUT", "/api/balance", JSON.stringify({ balance: -1 }), 400],
      ["POST", "/api/uploads", "not a form", 400],
      ["GET", "/nothing/here", undefined, 404],
    ];
    for (const [method, url, body, status] of cases) {
      const response = await fetch(`${sim.url}${url}`, {
        method,
        headers: { "content-type": "application/json" },
        body,
      });
      expect([method, url, response.status]).toEqual([method, url, status]);
      expect(await response.json()).toHaveProperty("detail");
    }
  });

  it("stops the answers of a deleted conversation and writes nothing more into it", async () => {
    const chatty = new RecordingBot(async function* () {
      for (;;) {
        yield new PartialResponse({ text: "." });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    const sim = await start([recording("Chatty", chatty)], ":memory:", { limits: { totalMs: 3_000 } });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
        botName: "Chatty",
      });
      const { botMessages } = await api<{ botMessages: MessageRecord[] }>(
        sim,
        "POST",
        `/api/conversations/${conversation.id}/messages`,
        { text: "@Chatty then @Echo: hi" },
      );
      await expect.poll(() => chatty.queries.length).toBe(1);
      const deletedAt = performance.now();
      await api(sim, "DELETE", `/api/conversations/${conversation.id}`);
      await sim.simulator.context.tasks.idle();
      expect(performance.now() - deletedAt).toBeLessThan(1_500);
      expect(errors).not.toHaveBeenCalled();
      const { store } = sim.simulator.context;
      expect(store.messages.get(botMessages[0]?.id as string)).toBeUndefined();
      // Echo, whose turn came after the deletion, was never asked.
      expect(store.exchanges.listForMessage(botMessages[1]?.id as string)).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it("keeps the feedback given while the answer streams", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = new RecordingBot(async function* () {
      yield new PartialResponse({ text: "a" });
      await gate;
      yield new PartialResponse({ text: "b" });
    });
    const sim = await start([recording("Slow", slow)]);
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Slow",
    });
    const { botMessages } = await api<{ botMessages: MessageRecord[] }>(
      sim,
      "POST",
      `/api/conversations/${conversation.id}/messages`,
      { text: "hi" },
    );
    const id = botMessages[0]?.id as string;
    const { store } = sim.simulator.context;
    await expect.poll(() => store.messages.get(id)?.status).toBe("streaming");
    await api(sim, "POST", `/api/messages/${id}/feedback`, { type: "like" });
    await api(sim, "POST", `/api/messages/${id}/reactions`, { reaction: "🎉" });
    release();
    await sim.simulator.context.tasks.idle();
    expect(store.messages.get(id)).toMatchObject({
      status: "complete",
      content: "ab",
      feedback: [{ type: "like", reason: null }],
      reactions: ["🎉"],
    });
  });

  it("closes at once while a bot is slow to take its error reports", async () => {
    let reportsReceived = 0;
    const mute = new (class extends PoeBot {
      override async *getResponse() {}
      override async onError(): Promise<void> {
        reportsReceived++;
        await new Promise(() => {});
      }
    })();
    const sim = await start([{ name: "Mute", kind: "builtin", description: "test bot", bot: mute }]);
    const conversation = await api<ConversationRecord>(sim, "POST", "/api/conversations", {
      botName: "Mute",
    });
    await api(sim, "POST", `/api/conversations/${conversation.id}/messages`, { text: "hi" });
    await expect.poll(() => reportsReceived).toBe(1);
    const started = performance.now();
    await sim.close();
    running.pop();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("stops listening when a bot given at start cannot be registered", async () => {
    const probe = await start();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    running.pop();
    await expect(
      start([], ":memory:", { port, bots: [{ name: "bad name!", url: "http://127.0.0.1:1/" }] }),
    ).rejects.toThrow(/not a bot name/);
    // The port is free again: nothing was left listening.
    await start([], ":memory:", { port });
  });

  it("names the port that is in use, the default one included", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => {
      // 7777 may already be taken by something else; either way it is in use for the simulator.
      blocker.once("error", () => resolve());
      blocker.listen(DEFAULT_SIMULATOR_PORT, "127.0.0.1", () => resolve());
    });
    try {
      await expect(startSimulator({ db: ":memory:" })).rejects.toThrow(
        `Port ${DEFAULT_SIMULATOR_PORT} is in use`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("refuses browsers that reach it under another host name (DNS rebinding), tools too", async () => {
    const sim = await start();
    const port = new URL(sim.url).port;
    const call = (url: string, init: RequestInit = {}) => sim.simulator.fetch(new Request(url, init));
    const rebound = `http://rebind.example:${port}`;

    const read = await call(`${rebound}/api/state`, { headers: { "sec-fetch-site": "same-origin" } });
    expect(read.status).toBe(403);
    expect(await read.json()).toEqual({ detail: expect.stringContaining("rebind.example") });
    const post = { method: "POST", headers: { origin: rebound, "content-type": "application/json" } };
    expect((await call(`${rebound}/api/conversations`, { ...post, body: '{"botName":"Echo"}' })).status).toBe(
      403,
    );
    expect((await call(`${rebound}/bot/Echo`, { ...post, body: "{}" })).status).toBe(403);

    // Tools send no Origin and no Sec-Fetch-Site; localhost cannot be taken over.
    expect((await call(`${rebound}/api/state`)).status).toBe(200);
    const local = `http://localhost:${port}`;
    const created = await call(`${local}/api/conversations`, {
      method: "POST",
      headers: { origin: local, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      body: '{"botName":"Echo"}',
    });
    expect(created.status).toBe(201);
  });

  it("refuses state-changing API calls from another site", async () => {
    const sim = await start();
    const response = await fetch(`${sim.url}/api/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ botName: "Echo" }),
    });
    expect(response.status).toBe(403);
  });
});
