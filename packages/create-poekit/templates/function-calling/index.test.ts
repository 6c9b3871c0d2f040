import { createTestClient, mockBots, mockTextChunks, mockToolCalls } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { FunctionCallingBot, get_current_time, MODEL } from "./index.js";

// Any 32 characters: the bot sends its key along with its calls to the model.
const ACCESS_KEY = "test-key-0123456789abcdefghijklm";

describe("get_current_time", () => {
  it("tells the time in the zone asked for", () => {
    const newYear = new Date("2025-01-01T00:00:00Z");
    expect(get_current_time({ time_zone: "Asia/Kathmandu" }, newYear)).toEqual({
      time_zone: "Asia/Kathmandu",
      local_time: expect.stringContaining("05:45"),
    });
    expect(get_current_time({ time_zone: "America/New_York" }, newYear)).toEqual({
      time_zone: "America/New_York",
      local_time: expect.stringContaining("19:00"),
    });
  });

  it("answers an unknown zone with an error the model can read", () => {
    expect(get_current_time({ time_zone: "Mars/Olympus_Mons" })).toEqual({
      time_zone: "Mars/Olympus_Mons",
      error: expect.stringContaining("Unknown time zone"),
    });
  });
});

describe("FunctionCallingBot", () => {
  it("is the module's default export", () => {
    expect(bot).toBeInstanceOf(FunctionCallingBot);
  });

  it("runs the tool the model calls, sends it the result, and streams its answer", async () => {
    using mocks = mockBots({
      [MODEL]: (_request, call) =>
        call.toolResults
          ? mockTextChunks("It is a quarter to six in Kathmandu.")
          : mockToolCalls([{ name: "get_current_time", arguments: { time_zone: "Asia/Kathmandu" } }]),
    });
    const response = await createTestClient(new FunctionCallingBot({ accessKey: ACCESS_KEY })).query(
      "What time is it in Kathmandu?",
    );
    expect(response.error).toBeNull();
    expect(response.text).toBe("It is a quarter to six in Kathmandu.");
    expect(response.done).toBe(true);

    const [first, second, ...more] = mocks.callsTo(MODEL);
    expect(more).toEqual([]);
    expect(first?.accessKey).toBe(ACCESS_KEY);
    expect(first?.tools?.map((tool) => tool.function?.name)).toEqual(["get_current_time"]);
    const [result] = second?.toolResults ?? [];
    expect(result?.name).toBe("get_current_time");
    expect(JSON.parse(result?.content ?? "{}")).toEqual({
      time_zone: "Asia/Kathmandu",
      local_time: expect.any(String),
    });
  });

  it("answers in one call when the model needs no tool", async () => {
    using mocks = mockBots({ [MODEL]: () => mockTextChunks("Hello! Ask me the time anywhere.") });
    const response = await createTestClient(new FunctionCallingBot({ accessKey: ACCESS_KEY })).query("Hi");
    expect(response.text).toBe("Hello! Ask me the time anywhere.");
    expect(mocks.calls).toHaveLength(1);
  });

  it("declares both calls to the model, as Poe requires", async () => {
    const settings = await createTestClient(new FunctionCallingBot()).settings();
    expect(settings.server_bot_dependencies).toEqual({ [MODEL]: 2 });
  });
});
