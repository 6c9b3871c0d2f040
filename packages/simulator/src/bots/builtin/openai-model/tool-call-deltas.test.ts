import { describe, expect, it } from "vitest";
import { ToolCallDeltas } from "./tool-call-deltas.js";

describe("ToolCallDeltas", () => {
  it("keeps a server's own index, and gives calls without one an index per id", () => {
    const deltas = new ToolCallDeltas();
    expect(deltas.normalize({ index: 3, id: "x", function: { name: "w", arguments: "" } })).toEqual({
      index: 3,
      id: "x",
      type: "function",
      function: { name: "w", arguments: "" },
    });
    expect(deltas.normalize({ id: "y", type: "function", function: { name: "w" } })).toMatchObject({
      index: 4,
      id: "y",
    });
    // A continuation without index or id belongs to the call streamed last.
    expect(deltas.normalize({ function: { arguments: '{"a":1}' } })).toEqual({
      index: 4,
      function: { arguments: '{"a":1}' },
    });
    // The same id again keeps its index.
    expect(deltas.normalize({ id: "x", function: { arguments: "}" } })).toMatchObject({ index: 3 });
  });

  it("turns object arguments into JSON text and missing ones into an empty string", () => {
    const deltas = new ToolCallDeltas();
    expect(deltas.normalize({ id: "a", function: { name: "w", arguments: { city: "Oslo" } } })).toEqual({
      index: 0,
      id: "a",
      type: "function",
      function: { name: "w", arguments: '{"city":"Oslo"}' },
    });
    expect(deltas.normalize({ index: 0, function: { arguments: null } })).toEqual({
      index: 0,
      function: { arguments: "" },
    });
  });

  it("passes over what is not an object", () => {
    const deltas = new ToolCallDeltas();
    expect(deltas.normalize(null)).toBeUndefined();
    expect(deltas.normalize("call")).toBeUndefined();
  });
});
