import { describe, expect, it } from "vitest";
import { carriesToolCalls, firstChoice, offersTools } from "./tool-call-chunks.js";

describe("offersTools", () => {
  it.each([
    [{ tools: [{ type: "function", function: { name: "f" } }] }, true],
    [{ tools: [] }, false],
    [{ tools: null }, false],
    [{}, false],
    [null, false],
    ["tools", false],
  ])("%j offers tools: %s", (body, expected) => {
    expect(offersTools(body)).toBe(expected);
  });
});

describe("carriesToolCalls", () => {
  it("is true for a chunk whose first choice has tool-call pieces", () => {
    const chunk = { choices: [{ delta: { tool_calls: [{ index: 0, function: { name: "f" } }] } }] };
    expect(carriesToolCalls(chunk)).toBe(true);
  });

  it.each([
    [{ choices: [{ delta: { content: "hi" } }] }],
    [{ choices: [{ delta: { tool_calls: [] } }] }],
    // A piece without `function` is not a tool-call delta (the field is required).
    [{ choices: [{ delta: { tool_calls: [{ index: 0, id: "call_1" }] } }] }],
    [{ choices: [] }],
    [{ text: "hi" }],
    [null],
  ])("is false for %j", (data) => {
    expect(carriesToolCalls(data)).toBe(false);
  });
});

describe("firstChoice", () => {
  it("reads delta and finish_reason, with null for a missing reason", () => {
    expect(firstChoice({ choices: [{ delta: { content: "a" } }] })).toEqual({
      delta: { content: "a" },
      finish_reason: null,
    });
  });
});
