import { afterEach, describe, expect, it } from "vitest";
import type { CustomToolDefinition } from "../protocol/tools.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import { mockBots } from "../testing/mock-bots.js";
import { mockToolCalls } from "../testing/mock-events.js";
import { streamRequest } from "./stream-request.js";

// fastapi_poe's custom tools (free-text input): the client sends them as given, in every round.
const GREP: CustomToolDefinition = { name: "grep", description: "search", format: { type: "text" } };
const BARE: CustomToolDefinition = { name: "note", description: null, format: null };
const WEATHER = {
  name: "get_weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
  execute: ({ city }: { city: string }) => city.length,
};

let restore: (() => void) | undefined;
afterEach(() => restore?.());

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream);
}

describe("custom tools", () => {
  it("go to the model unchanged, beside function tools", async () => {
    const mocks = mockBots({ Model: () => "ok" });
    restore = () => mocks.restore();
    await drain(streamRequest(queryBody("hi") as never, "Model", TEST_KEY, { tools: [GREP, BARE] }));
    expect(mocks.calls[0]?.tools).toEqual([GREP, BARE]);
  });

  it("are sent again unchanged in the tool loop's later rounds", async () => {
    let round = 0;
    const mocks = mockBots({
      Model: () =>
        ++round === 1 ? mockToolCalls([{ name: "get_weather", arguments: { city: "Paris" } }]) : "done",
    });
    restore = () => mocks.restore();
    await drain(
      streamRequest(queryBody("hi") as never, "Model", TEST_KEY, {
        tools: [WEATHER, GREP],
        onError: () => {},
      }),
    );
    expect(mocks.calls).toHaveLength(2);
    expect(mocks.calls[1]?.tools?.[1]).toEqual(GREP);
    expect(mocks.calls[1]?.tools).toEqual(mocks.calls[0]?.tools);
  });

  it("a custom call in the request's tool_calls is forwarded as it came", async () => {
    const mocks = mockBots({ Model: () => "ok" });
    restore = () => mocks.restore();
    const call = { name: "grep", input: "needle" };
    const request = { ...(queryBody("hi") as object), tool_calls: [call], tools: [GREP] };
    await drain(streamRequest(request as never, "Model", TEST_KEY));
    expect(mocks.calls[0]?.toolCalls).toEqual([call]);
  });

  it("a duplicate name across a custom and a function tool is refused", () => {
    expect(() =>
      streamRequest(queryBody("hi") as never, "Model", TEST_KEY, {
        tools: [GREP, { ...WEATHER, name: "grep" }],
      }),
    ).toThrow(/Two tools are named "grep"/);
  });
});
