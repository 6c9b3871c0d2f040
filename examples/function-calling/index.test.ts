import { createTestClient, mockBots, mockTextChunks, mockToolCalls } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { FunctionCallingBot, get_current_weather } from "./index.js";

const KEY = "weather-test-key-0123456789abcde";

describe("get_current_weather", () => {
  it("knows Tokyo, San Francisco and Paris, each in its own unit", () => {
    expect(get_current_weather({ location: "Tokyo" })).toEqual({
      location: "Tokyo",
      temperature: 11,
      unit: "celsius",
    });
    expect(get_current_weather({ location: "San Francisco, CA" })).toEqual({
      location: "San Francisco",
      temperature: 72,
      unit: "fahrenheit",
    });
    expect(get_current_weather({ location: "Paris, France", unit: "celsius" })).toEqual({
      location: "Paris",
      temperature: 22,
      unit: "celsius",
    });
  });

  it("matches a city anywhere in the location, ignoring case", () => {
    expect(get_current_weather({ location: "downtown TOKYO, Japan" }).temperature).toBe(11);
    expect(get_current_weather({ location: "paris" }).temperature).toBe(22);
  });

  it("answers unknown for other places, in the unit asked for, Fahrenheit by default", () => {
    expect(get_current_weather({ location: "Kathmandu" })).toEqual({
      location: "Kathmandu",
      temperature: "unknown",
      unit: "fahrenheit",
    });
    expect(get_current_weather({ location: "Lima", unit: "celsius" })).toEqual({
      location: "Lima",
      temperature: "unknown",
      unit: "celsius",
    });
  });
});

describe("function-calling", () => {
  it("default-exports a bot that asks GPT-4o-Mini", () => {
    expect(bot).toBeInstanceOf(FunctionCallingBot);
    expect(bot.model).toBe("GPT-4o-Mini");
  });

  it("declares two calls to the model and has an introduction", async () => {
    const settings = await createTestClient(new FunctionCallingBot()).settings();
    expect(settings.server_bot_dependencies).toEqual({ "GPT-4o-Mini": 2 });
    expect(settings.introduction_message).toBeTruthy();
  });

  it("runs both tool calls, sends their results back, and streams the final answer", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": (_request, call) =>
        call.toolResults
          ? mockTextChunks("It is 22 °C in Paris and 11 °C in Tokyo.")
          : mockToolCalls([
              { name: "get_current_weather", arguments: { location: "Paris, France", unit: "celsius" } },
              { name: "get_current_weather", arguments: { location: "Tokyo" } },
            ]),
    });
    const response = await createTestClient(new FunctionCallingBot({ accessKey: KEY })).query(
      "What's the weather in Paris and Tokyo?",
    );
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.text).toBe("It is 22 °C in Paris and 11 °C in Tokyo.");

    const [first, second, ...rest] = mocks.callsTo("GPT-4o-Mini");
    expect(rest).toEqual([]);
    expect(first?.accessKey).toBe(KEY);
    expect(first?.toolCalls).toBeNull();
    expect(first?.tools).toEqual([
      {
        type: "function",
        function: {
          name: "get_current_weather",
          description: "Looks up the current temperature in a city.",
          parameters: expect.objectContaining({
            type: "object",
            required: ["location"],
            properties: {
              location: expect.objectContaining({ type: "string" }),
              unit: expect.objectContaining({ enum: ["celsius", "fahrenheit"] }),
            },
          }),
        },
      },
    ]);

    expect(second?.tools).toEqual(first?.tools);
    expect(second?.toolCalls?.map((toolCall) => [toolCall.id, toolCall.function?.name])).toEqual([
      ["call_0", "get_current_weather"],
      ["call_1", "get_current_weather"],
    ]);
    expect(second?.toolCalls?.map((toolCall) => JSON.parse(toolCall.function?.arguments ?? ""))).toEqual([
      { location: "Paris, France", unit: "celsius" },
      { location: "Tokyo" },
    ]);
    expect(
      second?.toolResults?.map(({ role, name, tool_call_id, content }) => ({
        role,
        name,
        tool_call_id,
        content: JSON.parse(content),
      })),
    ).toEqual([
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
  });

  it("makes a single call when the model needs no tool", async () => {
    using mocks = mockBots({ "GPT-4o-Mini": () => mockTextChunks("Hello! Ask me about the weather.") });
    const response = await createTestClient(new FunctionCallingBot({ accessKey: KEY })).query("Hi");
    expect(response.text).toBe("Hello! Ask me about the weather.");
    expect(response.done).toBe(true);
    expect(mocks.calls).toHaveLength(1);
    expect(mocks.calls[0]?.tools).toHaveLength(1);
  });
});
