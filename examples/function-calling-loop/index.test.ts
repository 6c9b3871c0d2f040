import { ErrorResponse } from "poekit";
import { ProtocolMessageSchema } from "poekit/protocol";
import { createTestClient, type MockBotCall, mockBots, mockTextChunks, mockToolCalls } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { assembleToolCalls, FunctionCallingLoopBot, runToolCall } from "./index.js";
import { decodeToolTurn, encodeToolTurn, withToolHistory } from "./tool-history.js";

const KEY = "weatherloop-key-0123456789abcdef";

const weather = (location: string, unit?: string) => ({
  name: "get_current_weather",
  arguments: unit ? { location, unit } : { location },
});

/** The tool results of a call, their JSON content parsed. */
const resultsOf = (call: MockBotCall | undefined) =>
  call?.toolResults?.map((result) => ({ ...result, content: JSON.parse(result.content) }));

describe("function-calling-loop", () => {
  it("default-exports a bot on GPT-4o-Mini that declares its budget of calls", async () => {
    expect(bot).toBeInstanceOf(FunctionCallingLoopBot);
    expect(bot.model).toBe("GPT-4o-Mini");
    const settings = await createTestClient(new FunctionCallingLoopBot({ maxModelCalls: 3 })).settings();
    expect(settings.server_bot_dependencies).toEqual({ "GPT-4o-Mini": 3 });
    expect((await createTestClient(bot).settings()).server_bot_dependencies).toEqual({ "GPT-4o-Mini": 5 });
    expect(() => new FunctionCallingLoopBot({ maxModelCalls: 11 })).toThrow(/from 1 to 10/);
    expect(() => new FunctionCallingLoopBot({ maxModelCalls: 0 })).toThrow(/from 1 to 10/);
  });

  it("runs the tool calls itself, sends the results back, streams the answer and keeps the turn", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": (_request, call) =>
        call.toolResults
          ? mockTextChunks("It is 22 °C in Paris and 11 °C in Tokyo.")
          : mockToolCalls([weather("Paris, France", "celsius"), weather("Tokyo")]),
    });
    const response = await createTestClient(new FunctionCallingLoopBot({ accessKey: KEY })).query(
      "What's the weather in Paris and Tokyo?",
    );
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.text).toBe("It is 22 °C in Paris and 11 °C in Tokyo.");
    expect(response.events.map((event) => event.event).slice(-2)).toEqual(["data", "done"]);

    const [first, second, ...rest] = mocks.callsTo("GPT-4o-Mini");
    expect(rest).toEqual([]);
    expect(first?.accessKey).toBe(KEY);
    expect(first?.tools?.map((tool) => tool.function?.name)).toEqual(["get_current_weather"]);
    expect(first?.toolCalls).toBeNull();
    expect(second?.tools).toEqual(first?.tools);
    expect(second?.toolCalls).toEqual([
      {
        id: "call_0",
        type: "function",
        function: { name: "get_current_weather", arguments: '{"location":"Paris, France","unit":"celsius"}' },
      },
      {
        id: "call_1",
        type: "function",
        function: { name: "get_current_weather", arguments: '{"location":"Tokyo"}' },
      },
    ]);
    expect(resultsOf(second)).toEqual([
      {
        role: "tool",
        name: "get_current_weather",
        tool_call_id: "call_0",
        content: { location: "Paris", temperature: 22, unit: "celsius" },
      },
      {
        role: "tool",
        name: "get_current_weather",
        tool_call_id: "call_1",
        content: { location: "Tokyo", temperature: 11, unit: "celsius" },
      },
    ]);
    expect(decodeToolTurn(response.data)).toEqual({
      tool_calls: second?.toolCalls,
      tool_results: second?.toolResults,
    });
  });

  it("goes on for as many rounds as the model wants tools, sending every call so far", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": (_request, call) =>
        call.callIndex === 0
          ? mockToolCalls([weather("Paris")])
          : call.callIndex === 1
            ? mockToolCalls([{ ...weather("Tokyo"), id: "call_9" }])
            : mockTextChunks("Paris is warmer."),
    });
    const response = await createTestClient(new FunctionCallingLoopBot({ accessKey: KEY })).query(
      "Which is warmer, Paris or Tokyo?",
    );
    expect(response.text).toBe("Paris is warmer.");
    const calls = mocks.callsTo("GPT-4o-Mini");
    expect(calls).toHaveLength(3);
    expect(calls[1]?.toolCalls?.map((call) => call.id)).toEqual(["call_0"]);
    expect(calls[2]?.toolCalls?.map((call) => call.id)).toEqual(["call_0", "call_9"]);
    expect(resultsOf(calls[2])?.map((result) => result.content.temperature)).toEqual([22, 11]);
    expect(decodeToolTurn(response.data)?.tool_results).toHaveLength(2);
  });

  it("gives the model the tool calls and results of earlier turns, from the answers' metadata", async () => {
    using mocks = mockBots({ "GPT-4o-Mini": () => mockTextChunks("Yes, it is cold there.") });
    const turn = {
      tool_calls: [
        {
          id: "call_0",
          type: "function",
          function: { name: "get_current_weather", arguments: '{"location":"Tokyo"}' },
        },
      ],
      tool_results: [
        {
          role: "tool",
          name: "get_current_weather",
          tool_call_id: "call_0",
          content: '{"location":"Tokyo","temperature":11,"unit":"celsius"}',
        },
      ],
    };
    const response = await createTestClient(new FunctionCallingLoopBot({ accessKey: KEY })).query([
      "What's the weather in Tokyo?",
      { role: "bot", content: "It is 11 °C in Tokyo.", metadata: encodeToolTurn(turn) },
      "Is that cold?",
    ]);
    expect(response.text).toBe("Yes, it is cold there.");
    // No tool was called this turn: nothing new to keep.
    expect(response.data).toBeNull();
    const [call] = mocks.callsTo("GPT-4o-Mini");
    expect(call?.toolCalls).toBeNull();
    expect(call?.toolResults).toBeNull();
    expect(
      call?.request.query.map(({ role, message_type, content, metadata }) => ({
        role,
        message_type,
        content,
        metadata,
      })),
    ).toEqual([
      { role: "user", message_type: null, content: "What's the weather in Tokyo?", metadata: null },
      {
        role: "bot",
        message_type: "function_call",
        content: JSON.stringify(turn.tool_calls),
        metadata: null,
      },
      { role: "tool", message_type: null, content: JSON.stringify(turn.tool_results), metadata: null },
      { role: "bot", message_type: null, content: "It is 11 °C in Tokyo.", metadata: null },
      { role: "user", message_type: null, content: "Is that cold?", metadata: null },
    ]);
  });

  it("stops at its budget of calls when the model keeps asking for the tool", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": (_request, call) =>
        mockToolCalls([{ ...weather("Paris"), id: `call_${call.callIndex}` }]),
    });
    const response = await createTestClient(
      new FunctionCallingLoopBot({ accessKey: KEY, maxModelCalls: 2 }),
    ).query("Weather in Paris?");
    expect(mocks.calls).toHaveLength(2);
    expect(response.text).toBe(
      "_I stopped after 2 calls to GPT-4o-Mini, which still wanted to use its tool._",
    );
    expect(decodeToolTurn(response.data)?.tool_calls.map((call) => call.id)).toEqual(["call_0"]);
    expect(response.error).toBeNull();
  });

  it("answers calls it cannot run with an error result, so the model can correct itself", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": (_request, call) =>
        call.toolResults
          ? "Sorry, I made mistakes."
          : mockToolCalls([
              { name: "get_stock_price", arguments: {} },
              { name: "get_current_weather", arguments: "{not json" },
              { name: "get_current_weather", arguments: { location: 42 } },
            ]),
    });
    const response = await createTestClient(new FunctionCallingLoopBot({ accessKey: KEY })).query("Hi");
    expect(response.text).toBe("Sorry, I made mistakes.");
    const errors = resultsOf(mocks.calls[1])?.map((result) => result.content.error);
    expect(errors).toEqual([
      "There is no tool named get_stock_price; use get_current_weather.",
      "The arguments are not valid JSON.",
      expect.stringMatching(/^Invalid arguments: location: /),
    ]);
  });

  it("streams text the model writes before and after its tool calls", async () => {
    using _mocks = mockBots({
      "GPT-4o-Mini": (_request, call) =>
        call.toolResults
          ? ["It is 72 °F."]
          : ["Let me check. ", ...mockToolCalls([weather("San Francisco")])],
    });
    const response = await createTestClient(new FunctionCallingLoopBot({ accessKey: KEY })).query(
      "Weather in San Francisco?",
    );
    expect(response.text).toBe("Let me check. It is 72 °F.");
  });

  it("shows the model's error as its own", async () => {
    using _mocks = mockBots({
      "GPT-4o-Mini": [new ErrorResponse({ text: "The model is overloaded.", allow_retry: false })],
    });
    const response = await createTestClient(new FunctionCallingLoopBot({ accessKey: KEY })).query("Hi");
    expect(response.error).toMatchObject({
      allow_retry: false,
      text: "GPT-4o-Mini could not answer: The model is overloaded.",
    });
    expect(response.data).toBeNull();
    expect(response.done).toBe(true);
  });

  it("assembles interleaved pieces by index and drops pieces of calls that never started", () => {
    expect(
      assembleToolCalls([
        { index: 1, id: null, type: null, function: { name: null, arguments: "lost" } },
        { index: 1, id: "b", type: "function", function: { name: "g", arguments: "" } },
        { index: 0, id: "a", type: null, function: { name: "f", arguments: '{"x"' } },
        { index: 1, id: null, type: null, function: { name: null, arguments: "{}" } },
        { index: 0, id: null, type: null, function: { name: null, arguments: ":1}" } },
      ]),
    ).toEqual([
      { id: "a", type: "function", function: { name: "f", arguments: '{"x":1}' } },
      { id: "b", type: "function", function: { name: "g", arguments: "{}" } },
    ]);
  });

  it("runs a weather call with empty arguments as a call without any", () => {
    const result = runToolCall({
      id: "c",
      type: "function",
      function: { name: "get_current_weather", arguments: "" },
    });
    expect(JSON.parse(result.content).error).toMatch(/^Invalid arguments: location/);
  });

  it("ignores metadata that is not a tool turn, and leaves other messages alone", () => {
    expect(decodeToolTurn(null)).toBeUndefined();
    expect(decodeToolTurn("not json")).toBeUndefined();
    expect(decodeToolTurn('{"tool_calls":"no"}')).toBeUndefined();
    expect(decodeToolTurn('{"tool_calls":[],"tool_results":[]}')).toBeUndefined();
    const messages = [
      { role: "user", content: "hi" },
      { role: "bot", content: "hello", metadata: "something else" },
      { role: "moderator", content: "?" },
    ].map((message) => ProtocolMessageSchema.parse(message));
    expect(
      withToolHistory(messages).map(({ role, content, metadata }) => ({ role, content, metadata })),
    ).toEqual([
      { role: "user", content: "hi", metadata: null },
      { role: "bot", content: "hello", metadata: null },
      { role: "moderator", content: "?", metadata: null },
    ]);
  });
});
