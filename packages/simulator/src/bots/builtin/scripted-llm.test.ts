import {
  BotError,
  type BotMessage,
  type FetchLike,
  makeApp,
  PartialResponse,
  type QueryRequestInit,
  silentLogger,
  streamRequest,
  type ToolCallDefinitionDelta,
  type ToolInput,
} from "poekit";
import { createTestClient } from "poekit/testing";
import { describe, expect, it } from "vitest";
import { get_current_weather, weatherTool } from "../../../../../examples/function-calling/index.js";
import { ScriptedLLM } from "./scripted-llm.js";

/** Routes poekit's client to an in-process ScriptedLLM, as the simulator does. */
function scriptedFetch(): FetchLike {
  const app = makeApp(new ScriptedLLM(), { allowWithoutKey: true, logger: silentLogger });
  return (input, init) => app.fetch(new Request(input, init));
}

const BASE_URL = "http://scripted.test/";

function request(text: string): QueryRequestInit {
  return {
    version: "1.2",
    type: "query",
    query: [{ role: "user", content: text }],
    user_id: "u-test",
    conversation_id: "c-test",
    message_id: "m-test",
  };
}

async function collect(stream: AsyncIterable<BotMessage>): Promise<BotMessage[]> {
  const messages: BotMessage[] = [];
  for await (const message of stream) messages.push(message);
  return messages;
}

function textOf(messages: readonly BotMessage[]): string {
  return messages.map((message) => (message instanceof PartialResponse ? message.text : "")).join("");
}

describe("ScriptedLLM plain chat", () => {
  it("streams a deterministic reply in word chunks", async () => {
    const client = createTestClient(new ScriptedLLM());
    const conversation = ["Hi", { role: "bot" as const, content: "Hello!" }, "How are you today?"];
    const first = await client.query(conversation);
    const second = await client.query(conversation);
    const expected = 'You said: "How are you today?". You have sent 2 messages in this conversation.';
    expect(first.text).toBe(expected);
    expect(first.done).toBe(true);
    expect(first.events.map((event) => event.event)).toEqual([
      ...Array(expected.split(" ").length).fill("text"),
      "done",
    ]);
    expect(first.events.slice(0, 3).map((event) => event.data)).toEqual([
      { text: "You " },
      { text: "said: " },
      { text: '"How ' },
    ]);
    expect(second.events).toEqual(first.events);
  });

  it("counts a single message in the singular and sends no meta event", async () => {
    const response = await createTestClient(new ScriptedLLM()).query("Hi");
    expect(response.text).toBe('You said: "Hi". You have sent 1 message in this conversation.');
    expect(response.meta).toBeNull();
  });

  it("introduces its rules", async () => {
    const settings = await createTestClient(new ScriptedLLM()).settings();
    expect(settings.introduction_message).toMatch(/\/tool <name> <json-args>/);
    expect(settings.introduction_message).toMatch(/\/error/);
  });
});

describe("ScriptedLLM control words", () => {
  it("/error answers with a retryable error event", async () => {
    const response = await createTestClient(new ScriptedLLM()).query("please /error now");
    expect(response.error).toEqual({ allow_retry: true, text: expect.stringContaining("/error") });
    expect(response.text).toBe("");
    expect(response.done).toBe(true);
  });

  it("/error reaches a caller as BotError after the client's retry", async () => {
    const stream = streamRequest(request("/error"), "ScriptedLLM", null, {
      baseUrl: BASE_URL,
      fetch: scriptedFetch(),
      retries: { tries: 2, sleep: async () => {} },
      onError: () => {},
    });
    await expect(collect(stream)).rejects.toSatisfy(
      (error) => error instanceof BotError && error.allowRetry === true,
    );
  });

  it("/slow pauses between chunks and is not echoed", async () => {
    const started = performance.now();
    const response = await createTestClient(new ScriptedLLM()).query("/slow 30 hi there");
    const elapsed = performance.now() - started;
    expect(response.text).toBe('You said: "hi there". You have sent 1 message in this conversation.');
    // 11 chunks, 10 pauses of 30 ms; timers may fire a little early, never much.
    expect(elapsed).toBeGreaterThanOrEqual(250);
  });

  it("/notool answers in text although tools are offered", async () => {
    const messages = await collect(
      streamRequest(request("Weather in Tokyo? /notool"), "ScriptedLLM", null, {
        baseUrl: BASE_URL,
        fetch: scriptedFetch(),
        tools: [weatherTool],
        toolExecutables: { get_current_weather },
      }),
    );
    expect(textOf(messages)).toBe(
      'You said: "Weather in Tokyo?". You have sent 1 message in this conversation.',
    );
  });
});

describe("ScriptedLLM tool calls", () => {
  it("streams OpenAI-style tool-call deltas, the arguments in pieces, then finish_reason tool_calls", async () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_current_weather",
          description: "Weather in a city",
          parameters: {
            type: "object",
            properties: { location: { type: "string" } },
            required: ["location"],
          },
        },
      },
    ];
    const response = await createTestClient(new ScriptedLLM()).query({
      query: [{ role: "user", content: "What's the weather in San Francisco?" }],
      tools,
    });
    const chunks = response.events.filter((event) => event.event === "json").map((event) => event.data);
    expect(chunks[0]).toEqual({
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index: 0,
                id: "call_0",
                type: "function",
                function: { name: "get_current_weather", arguments: "" },
              },
            ],
          },
          finish_reason: null,
        },
      ],
    });
    expect(chunks.at(-1)).toEqual({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] });
    const pieces = chunks.slice(1, -1) as Array<{
      choices: [{ delta: { tool_calls: [{ index: number; function: { arguments: string } }] } }];
    }>;
    expect(pieces.length).toBeGreaterThan(2);
    const args = pieces.map((piece) => piece.choices[0].delta.tool_calls[0].function.arguments).join("");
    expect(JSON.parse(args)).toEqual({ location: "San Francisco" });
    expect(response.events.at(-1)?.event).toBe("done");
  });

  it("round-trips through poekit's tool loop: Tokyo in celsius", async () => {
    const messages = await collect(
      streamRequest(request("What's the weather in Tokyo in celsius?"), "ScriptedLLM", null, {
        baseUrl: BASE_URL,
        fetch: scriptedFetch(),
        tools: [weatherTool],
        toolExecutables: { get_current_weather },
      }),
    );
    expect(textOf(messages)).toBe(
      'Here is what the tools returned: get_current_weather → {"location":"Tokyo","temperature":11,"unit":"celsius"}.',
    );
  });

  it("passes the unit the user mentions, and calls once per place", async () => {
    const seen: unknown[] = [];
    const stream = streamRequest(
      request("Weather in Tokyo and San Francisco, in Fahrenheit please"),
      "ScriptedLLM",
      null,
      {
        baseUrl: BASE_URL,
        fetch: scriptedFetch(),
        tools: [weatherTool],
        toolExecutables: {
          get_current_weather: (args: Parameters<typeof get_current_weather>[0]) => {
            seen.push(args);
            return get_current_weather(args);
          },
        },
      },
    );
    const text = textOf(await collect(stream));
    expect(seen).toEqual([
      { location: "Tokyo", unit: "fahrenheit" },
      { location: "San Francisco", unit: "fahrenheit" },
    ]);
    expect(text).toContain('"location":"Tokyo","temperature":11');
    expect(text).toContain('"location":"San Francisco","temperature":72');
  });

  it("yields the deltas to a caller without executables, ready to assemble", async () => {
    const messages = await collect(
      streamRequest(request("Weather in Paris"), "ScriptedLLM", null, {
        baseUrl: BASE_URL,
        fetch: scriptedFetch(),
        tools: [weatherTool],
      }),
    );
    const deltas: ToolCallDefinitionDelta[] = messages.flatMap((message) =>
      message instanceof PartialResponse ? message.tool_calls : [],
    );
    expect(deltas[0]).toMatchObject({ index: 0, id: "call_0", function: { name: "get_current_weather" } });
    expect(JSON.parse(deltas.map((delta) => delta.function.arguments ?? "").join(""))).toEqual({
      location: "Paris",
    });
  });

  it("/tool calls exactly the tool and arguments given", async () => {
    const calls: unknown[] = [];
    const clock: ToolInput = {
      name: "get_time",
      description: "The time in a timezone",
      parameters: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] },
    };
    const messages = await collect(
      streamRequest(
        request('/tool get_current_weather {"location": "Lima", "unit": "celsius"}'),
        "ScriptedLLM",
        null,
        {
          baseUrl: BASE_URL,
          fetch: scriptedFetch(),
          tools: [clock, weatherTool],
          toolExecutables: {
            get_time: () => "noon",
            get_current_weather: (args: Parameters<typeof get_current_weather>[0]) => {
              calls.push(args);
              return get_current_weather(args);
            },
          },
        },
      ),
    );
    expect(calls).toEqual([{ location: "Lima", unit: "celsius" }]);
    expect(textOf(messages)).toBe(
      'Here is what the tools returned: get_current_weather → {"location":"Lima","temperature":"unknown","unit":"celsius"}.',
    );
  });

  it("answers from tool messages that end the conversation (a hand-written loop)", async () => {
    const response = await createTestClient(new ScriptedLLM()).query({
      query: [
        { role: "user", content: "Weather in Oslo?" },
        { role: "bot", message_type: "function_call", content: "[]" },
        {
          role: "tool",
          content: JSON.stringify([
            { role: "tool", name: "get_weather", tool_call_id: "c1", content: '{"t":3}' },
          ]),
        },
      ],
      tools: [
        {
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", properties: {} } },
        },
      ],
    });
    expect(response.text).toBe('Here is what the tools returned: get_weather → {"t":3}.');
  });
});
