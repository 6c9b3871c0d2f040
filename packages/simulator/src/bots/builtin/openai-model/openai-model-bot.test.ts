import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type BotMessage,
  makeApp,
  PartialResponse,
  PoeConfigError,
  silentLogger,
  streamRequest,
} from "poekit";
import { QueryRequestSchema } from "poekit/protocol";
import { createTestClient } from "poekit/testing";
import { afterEach, describe, expect, it } from "vitest";
import { OpenAIModelBot } from "./openai-model-bot.js";

/** What the fake endpoint received. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

type Handler = (received: Received, response: ServerResponse) => void;

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A tiny OpenAI-compatible server on 127.0.0.1 and a free port; `handle` answers each request. */
async function fakeEndpoint(handle: Handler): Promise<{ baseUrl: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>,
      };
      received.push(entry);
      handle(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ close: () => server.close() });
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, received };
}

/** Writes `data:` lines as OpenAI does, each chunk in its own write, then `[DONE]`. */
function streamChunks(response: ServerResponse, chunks: readonly unknown[]): void {
  response.writeHead(200, { "content-type": "text/event-stream" });
  for (const chunk of chunks) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  response.end("data: [DONE]\n\n");
}

function contentChunk(content: string, finish: string | null = null) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  };
}

function toolChunk(delta: Record<string, unknown>) {
  return { id: "chatcmpl-1", choices: [{ index: 0, delta: { tool_calls: [delta] }, finish_reason: null }] };
}

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

function bot(baseUrl: string, apiKey: string | null = "sk-test") {
  return new OpenAIModelBot({ name: "Local", baseUrl, model: "tiny-model", apiKey });
}

async function collect(stream: AsyncIterable<BotMessage>): Promise<BotMessage[]> {
  const messages: BotMessage[] = [];
  for await (const message of stream) messages.push(message);
  return messages;
}

describe("OpenAIModelBot", () => {
  it("posts the conversation to /chat/completions and streams the text back", async () => {
    const endpoint = await fakeEndpoint((_received, response) =>
      streamChunks(response, [
        { choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
        contentChunk("Hello"),
        contentChunk(", world"),
        contentChunk("!", "stop"),
        { choices: [], usage: { prompt_tokens: 3, completion_tokens: 3 } },
      ]),
    );
    const response = await createTestClient(bot(endpoint.baseUrl)).query(
      [{ role: "system", content: "Be kind." }, "Hi", { role: "bot", content: "Hey" }, "Greet the world"],
      { temperature: 0.2, stop_sequences: ["END"] },
    );
    expect(response.error).toBeNull();
    expect(response.text).toBe("Hello, world!");
    expect(response.events.filter((event) => event.event === "text")).toHaveLength(3);
    expect(response.done).toBe(true);

    const [call] = endpoint.received;
    expect(call?.method).toBe("POST");
    expect(call?.url).toBe("/v1/chat/completions");
    expect(call?.headers.authorization).toBe("Bearer sk-test");
    expect(call?.body).toEqual({
      model: "tiny-model",
      messages: [
        { role: "system", content: "Be kind." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hey" },
        { role: "user", content: "Greet the world" },
      ],
      stream: true,
      temperature: 0.2,
      stop: ["END"],
    });
  });

  it("passes tool-call deltas on as json events that poekit's tool loop runs", async () => {
    const endpoint = await fakeEndpoint((received, response) => {
      const messages = received.body.messages as Array<{ role: string; content: string | null }>;
      if (messages.at(-1)?.role === "tool") {
        streamChunks(response, [contentChunk(`Result: ${messages.at(-1)?.content}`, "stop")]);
        return;
      }
      streamChunks(response, [
        toolChunk({
          index: 0,
          id: "call_abc",
          type: "function",
          function: { name: "get_weather", arguments: "" },
        }),
        toolChunk({ index: 0, function: { arguments: '{"ci' } }),
        toolChunk({ index: 0, function: { arguments: 'ty":"Oslo"}' } }),
        { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
      ]);
    });
    const model = bot(endpoint.baseUrl, null);

    // What the bot streams, as Poe's model bots do.
    const direct = await createTestClient(model).query({
      query: [{ role: "user", content: "Oslo?" }],
      tools: [weatherTool],
    });
    expect(direct.events.filter((event) => event.event === "json").map((event) => event.data)).toEqual([
      toolChunkShape({
        index: 0,
        id: "call_abc",
        type: "function",
        function: { name: "get_weather", arguments: "" },
      }),
      toolChunkShape({ index: 0, function: { arguments: '{"ci' } }),
      toolChunkShape({ index: 0, function: { arguments: 'ty":"Oslo"}' } }),
      { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
    ]);
    expect(endpoint.received[0]?.body.tools).toEqual([weatherTool]);
    expect(endpoint.received[0]?.headers.authorization).toBeUndefined();

    // The whole loop through poekit's client.
    const app = makeApp(model, { allowWithoutKey: true, logger: silentLogger });
    const calls: unknown[] = [];
    const messages = await collect(
      streamRequest(
        {
          version: "1.2",
          type: "query",
          query: [{ role: "user", content: "Oslo?" }],
          user_id: "u",
          conversation_id: "c",
          message_id: "m",
        },
        "Local",
        null,
        {
          baseUrl: "http://models.test/",
          fetch: (input, init) => app.fetch(new Request(input, init)),
          tools: [weatherTool],
          toolExecutables: {
            get_weather: (args: { city: string }) => {
              calls.push(args);
              return { city: args.city, celsius: 3 };
            },
          },
        },
      ),
    );
    expect(calls).toEqual([{ city: "Oslo" }]);
    expect(messages.map((message) => (message instanceof PartialResponse ? message.text : "")).join("")).toBe(
      'Result: {"city":"Oslo","celsius":3}',
    );
    const second = endpoint.received.at(-1)?.body.messages;
    expect(second).toEqual([
      { role: "user", content: "Oslo?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_abc",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_abc", name: "get_weather", content: '{"city":"Oslo","celsius":3}' },
    ]);
  });

  it("gives tool calls without index or type (some servers) distinct indexes", async () => {
    const endpoint = await fakeEndpoint((_received, response) =>
      streamChunks(response, [
        toolChunk({ id: "a", function: { name: "get_weather", arguments: { city: "Oslo" } } }),
        toolChunk({ id: "b", function: { name: "get_weather", arguments: '{"city":"Rome"}' } }),
        { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
      ]),
    );
    const response = await createTestClient(bot(endpoint.baseUrl)).query({
      query: [{ role: "user", content: "Oslo and Rome?" }],
      tools: [weatherTool],
    });
    expect(response.events.filter((event) => event.event === "json").map((event) => event.data)).toEqual([
      toolChunkShape({
        index: 0,
        id: "a",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
      }),
      toolChunkShape({
        index: 1,
        id: "b",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Rome"}' },
      }),
      { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
    ]);
  });

  it("reads a whole JSON completion from a server that does not stream", async () => {
    const endpoint = await fakeEndpoint((_received, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          choices: [
            { index: 0, message: { role: "assistant", content: "All at once." }, finish_reason: "stop" },
          ],
        }),
      );
    });
    const response = await createTestClient(bot(endpoint.baseUrl)).query("Hi");
    expect(response.text).toBe("All at once.");
  });

  it("turns a 401 into an error event naming the endpoint, the status and the body", async () => {
    const endpoint = await fakeEndpoint((_received, response) => {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error" } }),
      );
    });
    const response = await createTestClient(bot(endpoint.baseUrl, "sk-wrong-secret")).query("Hi");
    expect(response.status).toBe(200);
    expect(response.done).toBe(true);
    expect(response.error?.allow_retry).toBe(false);
    expect(response.error?.text).toContain(`${endpoint.baseUrl}/chat/completions`);
    expect(response.error?.text).toContain("401");
    expect(response.error?.text).toContain("Incorrect API key provided");
    expect(JSON.stringify(response.events)).not.toContain("sk-wrong-secret");
  });

  it("allows a retry for a 503 and for an endpoint that cannot be reached", async () => {
    const busy = await fakeEndpoint((_received, response) => {
      response.writeHead(503);
      response.end("overloaded");
    });
    const overloaded = await createTestClient(bot(busy.baseUrl)).query("Hi");
    expect(overloaded.error).toMatchObject({
      allow_retry: true,
      text: expect.stringContaining("503: overloaded"),
    });

    const gone = await fakeEndpoint(() => {});
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const unreachable = await createTestClient(bot(gone.baseUrl)).query("Hi");
    expect(unreachable.error).toMatchObject({
      allow_retry: true,
      text: expect.stringContaining(`Could not reach the model endpoint ${gone.baseUrl}/chat/completions`),
    });
  });

  it("reports an error chunk in the stream, and a stream that is not JSON", async () => {
    const failing = await fakeEndpoint((_received, response) =>
      streamChunks(response, [contentChunk("Par"), { error: { message: "model crashed" } }]),
    );
    const crashed = await createTestClient(bot(failing.baseUrl)).query("Hi");
    expect(crashed.text).toBe("Par");
    expect(crashed.error).toMatchObject({
      allow_retry: false,
      text: expect.stringContaining("model crashed"),
    });

    const garbled = await fakeEndpoint((_received, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end("data: {oops\n\n");
    });
    const broken = await createTestClient(bot(garbled.baseUrl)).query("Hi");
    expect(broken.error?.text).toContain("not JSON: {oops");
  });

  it("answers an error when the model sends nothing at all", async () => {
    const empty = await fakeEndpoint((_received, response) => streamChunks(response, []));
    const response = await createTestClient(bot(empty.baseUrl)).query("Hi");
    expect(response.error?.text).toContain("no text and no tool calls");
  });

  it("takes the key from POEKIT_MODEL_API_KEY unless one is given, and null sends none", () => {
    const env = { POEKIT_MODEL_API_KEY: "sk-env" };
    const spec = { name: "M", baseUrl: "http://localhost:1/v1", model: "m" };
    expect(new OpenAIModelBot({ ...spec, env }).hasApiKey).toBe(true);
    expect(new OpenAIModelBot({ ...spec, env: {} }).hasApiKey).toBe(false);
    expect(new OpenAIModelBot({ ...spec, env, apiKey: null }).hasApiKey).toBe(false);
    expect(new OpenAIModelBot({ ...spec, env, apiKey: "" }).hasApiKey).toBe(false);
  });

  it("is served on /<name>, accepts a URL that already ends in /chat/completions, and describes itself", async () => {
    const model = new OpenAIModelBot({
      name: "Gpt.Local",
      baseUrl: "https://api.example.com/v1/chat/completions/",
      model: "gpt",
    });
    expect(model).toMatchObject({
      path: "/Gpt.Local",
      botName: "Gpt.Local",
      endpoint: "https://api.example.com/v1/chat/completions",
    });
    expect(model.description).toBe("model: gpt at https://api.example.com/v1/chat/completions");
    const settings = await createTestClient(model).settings();
    expect(settings.introduction_message).toContain("gpt");
    expect(() => new OpenAIModelBot({ name: "bad name", baseUrl: "http://x/v1", model: "m" })).toThrow(
      PoeConfigError,
    );
  });

  it("sends tool_choice only when the request's extra_params carry one", () => {
    const model = bot("http://localhost:1/v1");
    const request = QueryRequestSchema.parse({
      version: "1.2",
      type: "query",
      query: [{ role: "user", content: "Hi" }],
      user_id: "u",
      conversation_id: "c",
      message_id: "m",
      tools: [weatherTool],
    });
    expect(model.requestBody(request)).not.toHaveProperty("tool_choice");
    expect(model.requestBody({ ...request, extra_params: { tool_choice: "required" } })).toMatchObject({
      tools: [weatherTool],
      tool_choice: "required",
    });
  });
});

function toolChunkShape(delta: Record<string, unknown>) {
  return { choices: [{ index: 0, delta: { tool_calls: [delta] }, finish_reason: null }] };
}
