import { afterEach, describe, expect, it, vi } from "vitest";
import { getFinalResponse } from "../client/get-final-response.js";
import { streamRequest } from "../client/stream-request.js";
import { BotErrorNoRetry, HTTPError, InsufficientFundError } from "../core/errors.js";
import { authorizeCost, captureCost } from "../core/poe-api/cost.js";
import { syncBotSettings } from "../core/poe-api/sync-bot-settings.js";
import { resolveFetch } from "../core/poe-api/transport.js";
import { uploadFile } from "../core/poe-api/upload-file.js";
import { DataResponse, ErrorResponse, MetaResponse, PartialResponse } from "../core/responses.js";
import type { QueryRequest, QueryRequestInit } from "../protocol/query-request.js";
import { SseDecoder } from "../protocol/sse-decoder.js";
import { PoeBot } from "../server/poe-bot.js";
import { dataEvent, suggestedReplyEvent } from "../server/raw-events.js";
import type { RequestContext } from "../server/request-context.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import { type MockBots, mockBots } from "./mock-bots.js";
import { mockTextChunks, mockToolCalls } from "./mock-events.js";
import { createTestClient } from "./test-client.js";

const BOT_URL = "https://api.poe.com/bot/";
const API_KEY = `${"a".repeat(28)}wxyz`;

// Every test restores its mocks, so a failing one cannot leak an override into the next.
const open: MockBots[] = [];
function mock(...args: Parameters<typeof mockBots>): MockBots {
  const mocks = mockBots(...args);
  open.push(mocks);
  return mocks;
}
afterEach(() => {
  for (const mocks of open.splice(0)) mocks.restore();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/**
 * The delays of the timers set from now on that look like the client's backoff (250 ms to 10 s; its
 * call deadline is far longer, the server's pings are intervals).
 */
function backoffTimers(): () => number[] {
  const spy = vi.spyOn(globalThis, "setTimeout");
  return () =>
    spy.mock.calls.map(([, delay]) => Number(delay ?? 0)).filter((delay) => delay >= 250 && delay <= 10_000);
}

/** POSTs through the fetch every client call uses, as the client would. */
function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return resolveFetch()(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** A query request for the client functions. */
function clientRequest(content = "hello"): QueryRequestInit {
  return queryBody(content) as QueryRequestInit;
}

/** The client warns on the console about failed tries; the tests look at what it throws instead. */
const quiet = { onError: () => {} };

async function events(response: Response): Promise<Array<{ event: string; data: unknown }>> {
  const decoder = new SseDecoder();
  const decoded = [...decoder.push(await response.text()), ...decoder.end()];
  return decoded.map(({ event, data }) => ({ event, data: JSON.parse(data) }));
}

describe("mockBots through the client's fetch", () => {
  it("answers a query to /bot/<name> with the mock bot's SSE response, and records the call", async () => {
    const mocks = mock({ Foo: (request) => `You said: ${request.query.at(-1)?.content}` });
    const response = await post(`${BOT_URL}Foo`, queryBody("Hi"), { authorization: `Bearer ${API_KEY}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await events(response)).toEqual([
      { event: "text", data: { text: "You said: Hi" } },
      { event: "done", data: {} },
    ]);
    expect(mocks.calls).toHaveLength(1);
    expect(mocks.calls[0]).toMatchObject({
      botName: "Foo",
      accessKey: API_KEY,
      tools: null,
      toolCalls: null,
      toolResults: null,
      callIndex: 0,
    });
    expect(mocks.calls[0]?.request).toMatchObject({
      message_id: "m-1",
      query: [{ role: "user", content: "Hi" }],
    });
    // Defaults are filled, as the bot server fills them.
    expect(mocks.calls[0]?.request.temperature).toBeNull();
    expect(mocks.calls[0]?.request.attachments).toBeUndefined();
  });

  it("takes fixed answers, single items, iterables and async iterables", async () => {
    mock({
      Fixed: "Always this",
      List: ["a", new PartialResponse({ text: "b" }), suggestedReplyEvent("c?")],
      Meta: () => new MetaResponse({ content_type: "text/plain" }),
      Data: () => [new DataResponse({ metadata: "state" }), dataEvent("later")],
      Gen: async function* () {
        yield "x";
        await Promise.resolve();
        yield new PartialResponse({ text: "y", is_replace_response: true });
      },
      Set: () => new Set(["p", "q"]),
      Refuse: async () => new ErrorResponse({ text: "No.", allow_retry: false }),
    });
    const answer = async (name: string) =>
      (await events(await post(`${BOT_URL}${name}`, queryBody()))).slice(0, -1);
    expect(await answer("Fixed")).toEqual([{ event: "text", data: { text: "Always this" } }]);
    expect(await answer("List")).toEqual([
      { event: "text", data: { text: "a" } },
      { event: "text", data: { text: "b" } },
      { event: "suggested_reply", data: { text: "c?" } },
    ]);
    expect(await answer("Meta")).toEqual([
      { event: "meta", data: expect.objectContaining({ content_type: "text/plain" }) },
    ]);
    expect(await answer("Data")).toEqual([
      { event: "data", data: { metadata: "state" } },
      { event: "data", data: { metadata: "later" } },
    ]);
    expect(await answer("Gen")).toEqual([
      { event: "text", data: { text: "x" } },
      { event: "replace_response", data: { text: "y" } },
    ]);
    expect(await answer("Set")).toEqual([
      { event: "text", data: { text: "p" } },
      { event: "text", data: { text: "q" } },
    ]);
    expect(await answer("Refuse")).toEqual([{ event: "error", data: { allow_retry: false, text: "No." } }]);
  });

  it("turns a throwing handler into the bot's error event, as makeApp does", async () => {
    mock({
      Broken: () => {
        throw new Error("script failed");
      },
    });
    const received = await events(await post(`${BOT_URL}Broken`, queryBody()));
    expect(received).toEqual([
      {
        event: "error",
        data: {
          allow_retry: false,
          text: "The bot encountered an unexpected error.",
          raw_response: expect.stringContaining("script failed"),
        },
      },
      { event: "done", data: {} },
    ]);
  });

  it("answers an unknown bot with 404 and a detail naming the mocked ones", async () => {
    const mocks = mock({ A: "a", B: "b" });
    const response = await post(`${BOT_URL}Nope`, queryBody());
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: "mockBots: no bot named Nope; mocked: A, B" });
    expect(mocks.calls).toEqual([]);
  });

  it("matches bot names ignoring case and URL encoding, under any base URL", async () => {
    const mocks = mock({ "Claude 3.5": "hi" });
    expect((await post(`${BOT_URL}claude%203.5`, queryBody())).status).toBe(200);
    expect((await post("http://127.0.0.1:7777/prefix/bot/CLAUDE%203.5", queryBody())).status).toBe(200);
    expect(mocks.callsTo("claude 3.5").map((call) => [call.botName, call.callIndex])).toEqual([
      ["Claude 3.5", 0],
      ["Claude 3.5", 1],
    ]);
  });

  it("records report_error requests as reports, not calls", async () => {
    const mocks = mock({ Foo: "x" });
    const response = await post(`${BOT_URL}Foo`, {
      version: "1.2",
      type: "report_error",
      message: "Bot returned no text in response",
      metadata: { message_id: "m-1" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(mocks.reports).toEqual([
      { botName: "Foo", message: "Bot returned no text in response", metadata: { message_id: "m-1" } },
    ]);
    expect(mocks.calls).toEqual([]);
  });

  it("passes other requests to the mock bot's server: settings, and invalid queries unrecorded", async () => {
    const mocks = mock({ Foo: "x" });
    const settings = await post(`${BOT_URL}Foo`, { version: "1.2", type: "settings" });
    expect(await settings.json()).toEqual({ response_version: 2 });
    const invalid = await post(`${BOT_URL}Foo`, { ...queryBody(), query: "not a list" });
    expect(invalid.status).toBe(400);
    expect(mocks.calls).toEqual([]);
  });

  it("records uploads and answers with a mock URL and the MIME type", async () => {
    const mocks = mock({});
    const upload = async (form: FormData) => {
      const response = await resolveFetch()("https://www.quora.com/poe_api/file_upload_3RD_PARTY_POST", {
        method: "POST",
        headers: { authorization: API_KEY },
        body: form,
      });
      return { status: response.status, body: await response.json() };
    };
    const png = new FormData();
    png.append("file", new Blob([new Uint8Array([1, 2, 3])]), "cat.png");
    expect(await upload(png)).toEqual({
      status: 200,
      body: { attachment_url: "https://files.mock.poekit.test/1/cat.png", mime_type: "image/png" },
    });
    const typed = new FormData();
    typed.append("file", new Blob(["a,b"], { type: "text/csv" }), "my data");
    expect((await upload(typed)).body).toEqual({
      attachment_url: "https://files.mock.poekit.test/2/my%20data",
      mime_type: "text/csv",
    });
    const byUrl = new FormData();
    byUrl.append("download_url", "https://example.com/files/report%202024.pdf");
    expect((await upload(byUrl)).body.mime_type).toBe("application/pdf");
    const unknown = new FormData();
    unknown.append("file", new Blob(["?"]), "blob.xyz");
    expect((await upload(unknown)).body.mime_type).toBe("application/octet-stream");
    expect((await upload(new FormData())).status).toBe(400);

    expect(mocks.uploads).toEqual([
      {
        name: "cat.png",
        contentType: "image/png",
        bytes: new Uint8Array([1, 2, 3]),
        downloadUrl: null,
        url: "https://files.mock.poekit.test/1/cat.png",
      },
      expect.objectContaining({ name: "my data", contentType: "text/csv" }),
      {
        name: "report 2024.pdf",
        contentType: "application/pdf",
        bytes: null,
        downloadUrl: "https://example.com/files/report%202024.pdf",
        url: "https://files.mock.poekit.test/3/report%202024.pdf",
      },
      expect.objectContaining({ name: "blob.xyz" }),
    ]);
  });

  it("records settings syncs with the key masked", async () => {
    const mocks = mock({});
    const fetched = await post(`${BOT_URL}fetch_settings/MyBot/${TEST_KEY}/1.2`, undefined);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual({});
    await post(`${BOT_URL}update_settings/MyBot/${TEST_KEY}/1.2`, { introduction_message: "Hi" });
    expect(mocks.settingsSyncs).toEqual([
      { mode: "fetch", botName: "MyBot", maskedAccessKey: "kkkk…", version: "1.2", settings: null },
      {
        mode: "update",
        botName: "MyBot",
        maskedAccessKey: "kkkk…",
        version: "1.2",
        settings: { introduction_message: "Hi" },
      },
    ]);
    expect(JSON.stringify(mocks.settingsSyncs)).not.toContain(TEST_KEY);
  });

  it("answers cost calls with success, or with failure when asked to", async () => {
    const mocks = mock({});
    const body = { amounts: [{ amount_usd_milli_cents: 500, description: "x" }], access_key: TEST_KEY };
    const authorized = await post("https://api.poe.com/bot/cost/q-1/authorize", body);
    expect(authorized.headers.get("content-type")).toContain("text/event-stream");
    expect(await events(authorized)).toEqual([{ event: "result", data: { status: "success" } }]);
    await post("https://api.poe.com/bot/cost/q-1/capture", body);
    expect(mocks.costCalls).toEqual([
      { action: "authorize", botQueryId: "q-1", amounts: body.amounts, maskedAccessKey: "kkkk…" },
      { action: "capture", botQueryId: "q-1", amounts: body.amounts, maskedAccessKey: "kkkk…" },
    ]);
    mocks.restore();

    mock({}, { cost: "insufficient" });
    const refused = await post("https://api.poe.com/bot/cost/q-2/authorize", body);
    expect(await events(refused)).toEqual([{ event: "result", data: { status: "failure" } }]);
  });

  it("answers anything else with 404 and a JSON detail", async () => {
    mock({ Foo: "x" });
    const get = await resolveFetch()(`${BOT_URL}Foo`);
    expect(get.status).toBe(404);
    expect(await get.json()).toMatchObject({ detail: expect.stringContaining("GET /bot/Foo") });
    const elsewhere = await post("https://api.poe.com/v1/chat/completions", {});
    expect(elsewhere.status).toBe(404);
  });

  it("refuses bad scripts at once", () => {
    expect(() => mockBots({ "": "x" })).toThrow(/empty/);
    expect(() => mockBots({ GPT: "x", gpt: "y" })).toThrow(/same bot name/);
    expect(() => mockBots({ GPT: 42 as never })).toThrow(/must be a function/);
    expect(() => mockBots({}, { cost: "maybe" as never })).toThrow(/cost/);
  });

  it("restore() removes the override; nested mocks unwind in order", async () => {
    const outer = mock({ Outer: "outer" });
    const inner = mock({ Inner: "inner" });
    expect((await post(`${BOT_URL}Outer`, queryBody())).status).toBe(404);
    inner.restore();
    inner.restore();
    expect((await post(`${BOT_URL}Outer`, queryBody())).status).toBe(200);
    outer.restore();
    const network = vi.fn(async () => new Response("from the network"));
    vi.stubGlobal("fetch", network);
    expect(await (await post(`${BOT_URL}Outer`, queryBody())).text()).toBe("from the network");
    expect(network).toHaveBeenCalledOnce();
  });

  it("works with `using`", async () => {
    const network = vi.fn(async () => new Response("from the network"));
    vi.stubGlobal("fetch", network);
    {
      using mocks = mockBots({ Foo: "mocked" });
      expect((await post(`${BOT_URL}Foo`, queryBody())).status).toBe(200);
      expect(mocks.calls).toHaveLength(1);
    }
    await post(`${BOT_URL}Foo`, queryBody());
    expect(network).toHaveBeenCalledOnce();
  });
});

/** The bot under test: forwards the conversation to GPT-3.5-Turbo and passes its answer on. */
class ForwardingBot extends PoeBot {
  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    yield* streamRequest(request, "GPT-3.5-Turbo", request.access_key, { signal: context.signal });
  }
}

describe("mockBots with the client", () => {
  it("scripts the bot a bot under test calls, end to end", async () => {
    const mocks = mock({
      "GPT-3.5-Turbo": (request) => [
        "Echo: ",
        request.query.at(-1)?.content ?? "",
        suggestedReplyEvent("Again?"),
      ],
    });
    const client = createTestClient(new ForwardingBot({ accessKey: TEST_KEY }));
    const response = await client.query(["Hi", { role: "bot", content: "Hello" }, "How are you?"]);
    expect(response.text).toBe("Echo: How are you?");
    expect(response.suggestedReplies).toEqual(["Again?"]);
    expect(response.done).toBe(true);

    const [call] = mocks.callsTo("GPT-3.5-Turbo");
    expect(call?.accessKey).toBe(TEST_KEY);
    expect(call?.request.query.map((message) => message.content)).toEqual(["Hi", "Hello", "How are you?"]);
    expect(call?.request.conversation_id).toBe(client.conversationId);
    expect(mocks.reports).toEqual([]);
  });

  it("serves a bot under test that has no access key (nothing reaches Poe)", async () => {
    const mocks = mock({ "GPT-3.5-Turbo": "scripted" });
    const response = await createTestClient(new ForwardingBot()).query("Hi");
    expect(response.text).toBe("scripted");
    expect(mocks.calls[0]?.accessKey).toBeNull();
  });

  it("records retries as calls: an error allowing retry, before any output, is tried again", async () => {
    const mocks = mock({
      Flaky: (_request, call) =>
        call.callIndex === 0 ? new ErrorResponse({ text: "busy", allow_retry: true }) : "finally",
    });
    const text = await getFinalResponse(clientRequest(), "Flaky", API_KEY, {
      ...quiet,
      retries: { tries: 2, sleep: async () => {} },
    });
    expect(text).toBe("finally");
    expect(mocks.calls.map((call) => call.callIndex)).toEqual([0, 1]);
  });

  it("retries at once and keeps the client's warnings off the console", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const mocks = mock({
      "GPT-3.5-Turbo": (_request, call) =>
        call.callIndex === 0 ? new ErrorResponse({ text: "busy", allow_retry: true }) : "fine",
    });
    const timers = backoffTimers();
    const text = await getFinalResponse(queryBody() as QueryRequestInit, "GPT-3.5-Turbo", TEST_KEY);
    expect(text).toBe("fine");
    expect(timers()).toEqual([]);
    expect(mocks.warnings).toEqual(["Bot request to GPT-3.5-Turbo failed on try 1: busy"]);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it("waits the client's real backoff when asked", async () => {
    const mocks = mock(
      {
        "GPT-3.5-Turbo": (_request, call) =>
          call.callIndex === 0 ? new ErrorResponse({ text: "busy", allow_retry: true }) : "fine",
      },
      { realBackoff: true },
    );
    const timers = backoffTimers();
    await getFinalResponse(queryBody() as QueryRequestInit, "GPT-3.5-Turbo", TEST_KEY);
    expect(timers()).toHaveLength(1);
    expect(mocks.calls).toHaveLength(2);
  });

  it("makes the client raise HTTPError for an unknown bot, with the mock's detail", async () => {
    mock({ "GPT-3.5-Turbo": "hi" });
    const reading = getFinalResponse(clientRequest(), "GPT-5", API_KEY, quiet);
    await expect(reading).rejects.toThrow(HTTPError);
    await expect(reading).rejects.toMatchObject({
      status: 404,
      body: expect.stringContaining("mockBots: no bot named GPT-5; mocked: GPT-3.5-Turbo"),
    });
  });

  it("makes the client raise BotErrorNoRetry when the script throws", async () => {
    const mocks = mock({
      Broken: () => {
        throw new Error("boom");
      },
    });
    await expect(getFinalResponse(clientRequest(), "Broken", API_KEY, quiet)).rejects.toThrow(
      BotErrorNoRetry,
    );
    expect(mocks.calls).toHaveLength(1);
  });

  it("lets the client report a protocol violation, recorded as a report", async () => {
    const mocks = mock({ Silent: [] });
    const text = streamRequest(clientRequest(), "Silent", API_KEY, quiet);
    for await (const _ of text) {
      // no text arrives
    }
    expect(mocks.calls).toHaveLength(1);
    expect(mocks.reports).toEqual([
      expect.objectContaining({ botName: "Silent", message: expect.stringMatching(/no text/i) }),
    ]);
  });

  it("scripts a model's tool calls for the client's tool loop", async () => {
    const mocks = mock({
      "GPT-3.5-Turbo": (request) =>
        request.tool_results
          ? mockTextChunks(
              `It is ${JSON.parse(request.tool_results[0]?.content ?? "{}").temperature} °C in Paris.`,
            )
          : mockToolCalls([
              { name: "get_weather", arguments: { city: "Paris" } },
              { name: "get_time", arguments: { zone: "Europe/Paris" }, id: "t-1" },
            ]),
    });
    const tools = [
      { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
      { name: "get_time", parameters: { type: "object", properties: { zone: { type: "string" } } } },
    ];
    const seen: unknown[] = [];
    const toolExecutables = {
      get_weather: (args: { city: string }) => {
        seen.push(args);
        return { temperature: 22 };
      },
      get_time: (args: { zone: string }) => {
        seen.push(args);
        return "12:00";
      },
    };
    let text = "";
    for await (const message of streamRequest(clientRequest("Weather?"), "GPT-3.5-Turbo", API_KEY, {
      tools,
      toolExecutables,
    })) {
      if (message instanceof PartialResponse) text += message.text;
    }
    expect(text).toBe("It is 22 °C in Paris.");
    expect(seen).toEqual([{ city: "Paris" }, { zone: "Europe/Paris" }]);

    const [first, second] = mocks.calls;
    expect(first?.tools?.map((tool) => tool.function?.name)).toEqual(["get_weather", "get_time"]);
    expect(first?.toolCalls).toBeNull();
    expect(second?.toolCalls).toEqual([
      { id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "t-1", type: "function", function: { name: "get_time", arguments: '{"zone":"Europe/Paris"}' } },
    ]);
    expect(second?.toolResults).toEqual([
      { role: "tool", name: "get_weather", tool_call_id: "call_0", content: '{"temperature":22}' },
      { role: "tool", name: "get_time", tool_call_id: "t-1", content: "12:00" },
    ]);
    expect(mocks.reports).toEqual([]);
  });

  it("stops the mock bot when the bot under test is disconnected", async () => {
    let stopped = false;
    mock({
      "GPT-3.5-Turbo": async function* () {
        try {
          for (let i = 0; ; i++) {
            yield `${i} `;
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        } finally {
          stopped = true;
        }
      },
    });
    const client = createTestClient(new ForwardingBot({ accessKey: TEST_KEY }));
    for await (const event of client.stream("go")) {
      if (event.event === "text") break;
    }
    await expect.poll(() => stopped).toBe(true);
  });

  it("shows on call.signal that the caller gave up", async () => {
    const mocks = mock({
      "GPT-3.5-Turbo": async function* (_request, call) {
        yield "first ";
        // Silent until the caller leaves.
        await new Promise((resolve) => call.signal.addEventListener("abort", resolve));
      },
    });
    const client = createTestClient(new ForwardingBot({ accessKey: TEST_KEY }));
    for await (const event of client.stream("go")) {
      if (event.event === "text") break;
    }
    await expect.poll(() => mocks.calls[0]?.signal.aborted).toBe(true);
  });

  it("serves a bot under test that charges the user and attaches a file", async () => {
    class ChartBot extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        await this.authorizeCost(request, { amount_usd_milli_cents: 2000, description: "Chart" });
        const chart = await this.postMessageAttachment({
          messageId: request.message_id,
          fileData: new TextEncoder().encode("<svg/>"),
          filename: "chart.svg",
          isInline: true,
        });
        yield `![chart][${chart.inline_ref}]`;
        await this.captureCost(request, { amount_usd_milli_cents: 1500 });
      }
    }
    const mocks = mock({});
    const client = createTestClient(new ChartBot({ accessKey: TEST_KEY }));
    const response = await client.query({ query: ["Plot it"], bot_query_id: "q-7" });
    expect(response.files).toEqual([
      {
        url: "https://files.mock.poekit.test/1/chart.svg",
        content_type: "image/svg+xml",
        name: "chart.svg",
        inline_ref: expect.stringMatching(/^[A-Za-z0-9]{8}$/),
      },
    ]);
    expect(response.text).toBe(`![chart][${response.files[0]?.inline_ref}]`);
    expect(mocks.costCalls.map((call) => [call.action, call.botQueryId, call.amounts])).toEqual([
      ["authorize", "q-7", [{ amount_usd_milli_cents: 2000, description: "Chart" }]],
      ["capture", "q-7", [{ amount_usd_milli_cents: 1500, description: null }]],
    ]);
    mocks.restore();

    const broke = mock({}, { cost: "insufficient" });
    const refused = await client.query({ query: ["Plot it"], bot_query_id: "q-8" });
    expect(refused.error).toMatchObject({ error_type: "insufficient_fund" });
    expect(refused.files).toEqual([]);
    expect(broke.uploads).toEqual([]);
  });

  it("serves uploads, settings syncs and cost calls of the client", async () => {
    const mocks = mock({});
    const attachment = await uploadFile({
      file: new Uint8Array([9]),
      fileName: "chart.png",
      apiKey: API_KEY,
    });
    expect(attachment).toMatchObject({
      url: "https://files.mock.poekit.test/1/chart.png",
      content_type: "image/png",
    });
    expect(mocks.uploads[0]?.bytes).toEqual(new Uint8Array([9]));

    await syncBotSettings("MyBot", TEST_KEY, { settings: { introduction_message: "Hi" } });
    expect(mocks.settingsSyncs[0]).toMatchObject({
      mode: "update",
      botName: "MyBot",
      settings: { introduction_message: "Hi" },
    });

    await authorizeCost({ bot_query_id: "q-9" }, { amount_usd_milli_cents: 100 }, { accessKey: TEST_KEY });
    await captureCost({ bot_query_id: "q-9" }, [{ amount_usd_milli_cents: 100 }], { accessKey: TEST_KEY });
    expect(mocks.costCalls.map((call) => [call.action, call.botQueryId])).toEqual([
      ["authorize", "q-9"],
      ["capture", "q-9"],
    ]);
    mocks.restore();

    mock({}, { cost: "insufficient" });
    await expect(
      authorizeCost({ bot_query_id: "q-9" }, { amount_usd_milli_cents: 100 }, { accessKey: TEST_KEY }),
    ).rejects.toThrow(InsufficientFundError);
  });
});

describe("mockToolCalls and mockTextChunks", () => {
  it("streams each call's id and name first, then its arguments in pieces, interleaved, then finishes", () => {
    const events = mockToolCalls(
      [
        { name: "a", arguments: '{"x":12345}' },
        { name: "b", arguments: {}, id: "id-b" },
      ],
      { chunkSize: 5 },
    );
    const deltas = events.map(
      (event) => (event.data as { choices: Array<{ delta: unknown; finish_reason: unknown }> }).choices[0],
    );
    expect(events.every((event) => event.event === "json")).toBe(true);
    expect(deltas).toEqual([
      {
        delta: {
          tool_calls: [{ index: 0, id: "call_0", type: "function", function: { name: "a", arguments: "" } }],
        },
        finish_reason: null,
        index: 0,
      },
      {
        delta: {
          tool_calls: [{ index: 1, id: "id-b", type: "function", function: { name: "b", arguments: "" } }],
        },
        finish_reason: null,
        index: 0,
      },
      {
        delta: { tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] },
        finish_reason: null,
        index: 0,
      },
      { delta: { tool_calls: [{ index: 1, function: { arguments: "{}" } }] }, finish_reason: null, index: 0 },
      {
        delta: { tool_calls: [{ index: 0, function: { arguments: "12345" } }] },
        finish_reason: null,
        index: 0,
      },
      { delta: { tool_calls: [{ index: 0, function: { arguments: "}" } }] }, finish_reason: null, index: 0 },
      { delta: {}, finish_reason: "tool_calls", index: 0 },
    ]);
  });

  it("streams text as delta content, in pieces of whole characters", () => {
    const events = mockTextChunks("héllo 👋 world", { chunkSize: 7 });
    const pieces = events.map(
      (event) =>
        (event.data as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content,
    );
    expect(pieces).toEqual(["héllo 👋", " world", undefined]);
    expect(events.at(-1)?.data).toEqual({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
    expect(() => mockTextChunks("x", { chunkSize: 0 })).toThrow(RangeError);
  });
});
