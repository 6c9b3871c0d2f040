import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonDepthExceeds } from "./json-depth.js";

/** The depth by definition: a scalar is 0, a container one more than its deepest child. */
function depthOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** `value` inside `levels` arrays, built without recursion. */
function nested(levels: number, value: unknown = 1): unknown {
  let outer = value;
  for (let i = 0; i < levels; i++) outer = [outer];
  return outer;
}

describe("jsonDepthExceeds", () => {
  it("counts a scalar as level 0 and each container as one more", () => {
    expect(jsonDepthExceeds(1, 0)).toBe(false);
    expect(jsonDepthExceeds({}, 0)).toBe(true);
    expect(jsonDepthExceeds({}, 1)).toBe(false);
    expect(jsonDepthExceeds({ a: [1, 2] }, 2)).toBe(false);
    expect(jsonDepthExceeds({ a: [1, { b: 2 }] }, 2)).toBe(true);
  });

  it("agrees with the definition for generated JSON, on both walks (recursive and own stack)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 8 }), (text, limit) => {
        const value = JSON.parse(JSON.stringify(text));
        const expected = depthOf(value) > limit;
        expect(jsonDepthExceeds(value, limit)).toBe(expected);
        // Past 512 the other walk runs: a value nested `limit` deeper than 600 must agree too.
        expect(jsonDepthExceeds([[[value]]], limit + 3)).toBe(expected);
        expect(jsonDepthExceeds(nested(600 + limit), 600)).toBe(limit > 0);
      }),
      { numRuns: 300 },
    );
  });

  it("checks a body nested 100,000 deep without overflowing the stack, with either walk", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
    expect(jsonDepthExceeds(deep, 10_000)).toBe(true);
    expect(jsonDepthExceeds(deep, 100_000)).toBe(false);
  });

  it("looks at an own __proto__ key as JSON.parse makes it", () => {
    expect(jsonDepthExceeds(JSON.parse('{"__proto__":{"a":{}}}'), 2)).toBe(true);
    expect(jsonDepthExceeds(JSON.parse('{"__proto__":{"a":{}}}'), 3)).toBe(false);
  });
});
