import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import * as z from "zod";
import { InvalidParameterError, ToolCallError } from "../core/errors.js";
import { MetaResponse, PartialResponse } from "../core/responses.js";
import { ToolCallAccumulator } from "../index.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import { mockBots } from "../testing/mock-bots.js";
import { mockTextChunks, mockToolCalls } from "../testing/mock-events.js";
import type { BotMessage } from "./response-reader.js";
import { type StreamRequestOptions, streamRequest } from "./stream-request.js";
import { defineTool, normalizeTools } from "./tool-definitions.js";

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The current weather in a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city"],
    },
  },
} as const;
const TIME_TOOL = { name: "get_time", parameters: z.object({ zone: z.string() }) };

let restore: (() => void) | undefined;
afterEach(() => restore?.());

/** A scripted model: tool calls when it has no results yet, then an answer built from the results. */
function model(firstAnswer: (request: QueryRequest) => unknown) {
  const mocks = mockBots({
    Model: (request) => {
      if (!request.tool_results) return firstAnswer(request) as never;
      const results = request.tool_results.map((result) => `${result.name}=${result.content}`).join("; ");
      return mockTextChunks(`Results: ${results}`, { chunkSize: 5 });
    },
  });
  restore = () => mocks.restore();
  return mocks;
}

async function run(options: StreamRequestOptions): Promise<BotMessage[]> {
  const out: BotMessage[] = [];
  for await (const message of streamRequest(
    queryBody("Weather in Paris and the time in Tokyo?") as never,
    "Model",
    TEST_KEY,
    {
      baseUrl: "https://api.poe.com/bot/",
      onError: () => {},
      ...options,
    },
  )) {
    out.push(message);
  }
  return out;
}

const texts = (messages: BotMessage[]) =>
  messages
    .filter((m): m is PartialResponse => m instanceof PartialResponse)
    .map((m) => m.text)
    .join("");

describe("tool calling", () => {
  it("runs model → tools → model with two parallel calls streamed in pieces and an async executable", async () => {
    const mocks = model(() =>
      mockToolCalls(
        [
          { name: "get_weather", arguments: { city: "Paris", unit: "celsius" }, id: "call_w" },
          { name: "get_time", arguments: { zone: "Asia/Tokyo" }, id: "call_t" },
        ],
        { chunkSize: 3 },
      ),
    );
    const seenArgs: unknown[] = [];
    const messages = await run({
      tools: [WEATHER_TOOL, TIME_TOOL],
      toolExecutables: [
        function get_weather(args: { city: string }) {
          seenArgs.push(args);
          return { city: args.city, temperature: 22 };
        },
        async function get_time(args: { zone: string }) {
          seenArgs.push(args);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return "09:00";
        },
      ],
    });
    expect(texts(messages)).toBe('Results: get_weather={"city":"Paris","temperature":22}; get_time=09:00');
    expect(seenArgs).toEqual([{ city: "Paris", unit: "celsius" }, { zone: "Asia/Tokyo" }]);

    expect(mocks.calls).toHaveLength(2);
    const [first, second] = mocks.calls;
    expect(first?.tools?.map((tool) => tool.function?.name)).toEqual(["get_weather", "get_time"]);
    expect(first?.tools?.[1]?.function?.parameters).toMatchObject({
      type: "object",
      properties: { zone: { type: "string" } },
      required: ["zone"],
    });
    expect(first?.toolCalls).toBeNull();
    expect(second?.toolCalls).toEqual([
      {
        id: "call_w",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
      },
      { id: "call_t", type: "function", function: { name: "get_time", arguments: '{"zone":"Asia/Tokyo"}' } },
    ]);
    expect(second?.toolResults).toEqual([
      {
        role: "tool",
        name: "get_weather",
        tool_call_id: "call_w",
        content: '{"city":"Paris","temperature":22}',
      },
      { role: "tool", name: "get_time", tool_call_id: "call_t", content: "09:00" },
    ]);
    expect(second?.tools).toHaveLength(2);
  });

  it("runs a tool made with defineTool, which brings its own typed function", async () => {
    const mocks = model(() => mockToolCalls([{ name: "get_time", arguments: { zone: "UTC" } }]));
    const clock = defineTool({
      name: "get_time",
      parameters: z.object({ zone: z.string(), hour12: z.boolean().default(false) }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ zone: string; hour12: boolean }>();
        return `12:00 ${args.zone}${args.hour12 ? " pm" : ""}`;
      },
    });
    expect(texts(await run({ tools: [clock] }))).toBe("Results: get_time=12:00 UTC");
    expect(mocks.calls[1]?.toolResults?.[0]?.content).toBe("12:00 UTC");
  });

  it("refuses a tool function given twice", () => {
    const clock = defineTool({ name: "get_time", parameters: z.object({}), execute: () => "now" });
    expect(() =>
      streamRequest(queryBody() as never, "Model", TEST_KEY, {
        tools: [clock],
        toolExecutables: { get_time: () => 1 },
      }),
    ).toThrow(/has its own execute function and an entry in toolExecutables/);
  });

  it("makes no second call when the model chose no tool, and streams its text", async () => {
    const mocks = model(() => mockTextChunks("No tool needed."));
    const messages = await run({ tools: [WEATHER_TOOL], toolExecutables: { get_weather: () => 1 } });
    expect(texts(messages)).toBe("No tool needed.");
    expect(mocks.calls).toHaveLength(1);
  });

  it("keeps text the model writes in the same chunk as a tool call", async () => {
    const chunk = (delta: Record<string, unknown>) => ({
      event: "json",
      data: { choices: [{ index: 0, delta, finish_reason: null }] },
    });
    model(() => [
      chunk({
        content: "Let me look. ",
        tool_calls: [
          { index: 0, id: "c1", type: "function", function: { name: "get_weather", arguments: "" } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }),
    ]);
    const messages = await run({ tools: [WEATHER_TOOL], toolExecutables: { get_weather: () => "22 °C" } });
    expect(texts(messages)).toBe("Let me look. Results: get_weather=22 °C");
  });

  it("lets only a first meta through: a later round's would arrive after the text", async () => {
    const meta = (content_type: string) => ({ event: "meta", data: { content_type } });
    const mocks = mockBots({
      Model: (request) =>
        request.tool_results
          ? ([meta("text/plain"), ...mockTextChunks("Done.")] as never)
          : ([
              meta("text/markdown"),
              ...mockToolCalls([{ name: "get_weather", arguments: { city: "Paris" } }]),
            ] as never),
    });
    restore = () => mocks.restore();
    const messages = await run({ tools: [WEATHER_TOOL], toolExecutables: { get_weather: () => 1 } });
    const metas = messages.filter((m): m is MetaResponse => m instanceof MetaResponse);
    expect(metas.map((m) => m.content_type)).toEqual(["text/markdown"]);
    expect(messages[0]).toBe(metas[0]);
    expect(texts(messages.filter((m) => !(m instanceof MetaResponse)))).toBe("Done.");
  });

  it("exports its accumulator for bots that run their own loop", () => {
    const calls = new ToolCallAccumulator();
    calls.add([{ index: 0, id: "c1", type: "function", function: { name: "f", arguments: '{"a"' } }]);
    calls.add([{ index: 0, id: null, type: null, function: { name: null, arguments: ":1}" } }]);
    expect(calls.calls()).toEqual([
      { id: "c1", type: "function", function: { name: "f", arguments: '{"a":1}' } },
    ]);
  });

  it("passes plain text events from the model through", async () => {
    model(() => "plain answer");
    expect(texts(await run({ tools: [WEATHER_TOOL], toolExecutables: { get_weather: () => 1 } }))).toBe(
      "plain answer",
    );
  });

  it("without executables yields the tool-call pieces for the caller's own loop", async () => {
    const mocks = model(() =>
      mockToolCalls([{ name: "get_weather", arguments: { city: "Paris" } }], { chunkSize: 4 }),
    );
    const messages = await run({ tools: [WEATHER_TOOL] });
    const pieces = messages.flatMap((m) => (m instanceof PartialResponse ? m.tool_calls : []));
    expect(pieces[0]).toMatchObject({ index: 0, id: "call_0", function: { name: "get_weather" } });
    expect(pieces.map((piece) => piece.function.arguments).join("")).toBe('{"city":"Paris"}');
    expect(mocks.calls).toHaveLength(1);
  });

  it("sends tool_calls and tool_results set on the request, for the caller's own loop", async () => {
    const mocks = model(() => "unused");
    const call = {
      id: "c1",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
    };
    const result = { role: "tool", name: "get_weather", tool_call_id: "c1", content: '{"temperature":3}' };
    const request = queryBody("Weather in Oslo?", { tool_calls: [call], tool_results: [result] });
    const messages: BotMessage[] = [];
    for await (const message of streamRequest(request as never, "Model", TEST_KEY, {
      tools: [WEATHER_TOOL],
    })) {
      messages.push(message);
    }
    expect(texts(messages)).toBe('Results: get_weather={"temperature":3}');
    expect(mocks.calls[0]?.toolCalls).toEqual([call]);
    expect(mocks.calls[0]?.toolResults).toEqual([result]);
  });

  it("allows more rounds when asked, sending every earlier call and result", async () => {
    let round = 0;
    const mocks = mockBots({
      Model: (request) => {
        round++;
        if (round === 1)
          return mockToolCalls([{ name: "get_weather", arguments: { city: "Paris" }, id: "a" }]);
        if (round === 2)
          return mockToolCalls([{ name: "get_weather", arguments: { city: "Tokyo" }, id: "b" }]);
        return `done after ${request.tool_results?.length} results`;
      },
    });
    restore = () => mocks.restore();
    const messages = await run({
      tools: [WEATHER_TOOL],
      toolExecutables: [
        function get_weather({ city }: { city: string }) {
          return city.length;
        },
      ],
      maxToolRounds: 2,
    });
    expect(texts(messages)).toBe("done after 2 results");
    expect(mocks.calls[2]?.toolCalls?.map((call) => call.id)).toEqual(["a", "b"]);
    expect(mocks.calls[2]?.toolResults?.map((result) => result.content)).toEqual(["5", "5"]);
  });

  it("in the last round hands further tool calls to the caller instead of running them", async () => {
    let calls = 0;
    const mocks = mockBots({
      Model: () => {
        calls++;
        return mockToolCalls([{ name: "get_weather", arguments: { city: "Rome" } }]);
      },
    });
    restore = () => mocks.restore();
    const messages = await run({ tools: [WEATHER_TOOL], toolExecutables: { get_weather: () => "sunny" } });
    expect(calls).toBe(2);
    expect(messages.some((m) => m instanceof PartialResponse && m.tool_calls.length > 0)).toBe(true);
  });

  it("checks arguments against a zod schema before running the tool", async () => {
    model(() => mockToolCalls([{ name: "get_time", arguments: { zone: 42 } }]));
    const error = await run({ tools: [TIME_TOOL], toolExecutables: { get_time: () => "x" } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ToolCallError);
    expect((error as Error).message).toMatch(/get_time.*do not match its schema: zone/);
  });

  it("says so when the model calls a tool that has no executable, or sends arguments that are not JSON", async () => {
    model(() => mockToolCalls([{ name: "get_weather", arguments: "{not json" }]));
    await expect(run({ tools: [WEATHER_TOOL], toolExecutables: { other: () => 1 } })).rejects.toThrow(
      /no function of that name \(it has: other\)/,
    );
    await expect(run({ tools: [WEATHER_TOOL], toolExecutables: { get_weather: () => 1 } })).rejects.toThrow(
      /not JSON/,
    );
  });

  it("lets an executable's own error through", async () => {
    model(() => mockToolCalls([{ name: "get_weather", arguments: { city: "Paris" } }]));
    const failing = () => {
      throw new Error("weather service down");
    };
    await expect(run({ tools: [WEATHER_TOOL], toolExecutables: { get_weather: failing } })).rejects.toThrow(
      "weather service down",
    );
  });
});

describe("tool definitions", () => {
  it("accepts Poe's form, the short form, and zod schemas", () => {
    const { definitions, schemas } = normalizeTools([
      WEATHER_TOOL,
      { name: "short", description: "d", parameters: { type: "object", properties: {} } },
      TIME_TOOL,
    ]);
    expect(definitions.map((d) => d.function?.name)).toEqual(["get_weather", "short", "get_time"]);
    expect(definitions[1]).toEqual({
      type: "function",
      function: { name: "short", description: "d", parameters: { type: "object", properties: {} } },
    });
    expect(definitions[2]?.function?.parameters).not.toHaveProperty("$schema");
    expect([...schemas.keys()]).toEqual(["get_time"]);
  });

  it("refuses duplicate names, missing names, and schemas that are not objects", () => {
    expect(() => normalizeTools([WEATHER_TOOL, WEATHER_TOOL])).toThrow(/Two tools are named "get_weather"/);
    expect(() => normalizeTools([{ name: "", parameters: {} }])).toThrow(InvalidParameterError);
    expect(() => normalizeTools([{ name: "s", parameters: z.string() }])).toThrow(/must describe an object/);
  });

  it("refuses anonymous executables and a bad round count", () => {
    expect(() =>
      streamRequest(queryBody() as never, "Model", TEST_KEY, {
        tools: [WEATHER_TOOL],
        toolExecutables: [() => 1],
      }),
    ).toThrow(/anonymous function/);
    expect(() =>
      streamRequest(queryBody() as never, "Model", TEST_KEY, { tools: [WEATHER_TOOL], maxToolRounds: 0 }),
    ).toThrow(/maxToolRounds/);
  });
});
