import { afterEach, describe, expect, it, vi } from "vitest";
import { checkAuthorization } from "../server/auth.js";
import { TEST_KEY } from "../test-support/requests.js";
import { keysMatch } from "./access-key.js";

/** Byte arrays that count every element read, to see which bytes a comparison looks at. */
function countingEncoder(): { reads: Map<string, number[]> } {
  const reads = new Map<string, number[]>();
  const encode = TextEncoder.prototype.encode;
  vi.spyOn(TextEncoder.prototype, "encode").mockImplementation(function (this: TextEncoder, text?: string) {
    const bytes = encode.call(this, text);
    const seen: number[] = [];
    reads.set(text ?? "", seen);
    return new Proxy(bytes, {
      get(target, property) {
        if (typeof property === "string" && /^\d+$/.test(property)) seen.push(Number(property));
        return Reflect.get(target, property);
      },
    });
  });
  return { reads };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("access key comparison in constant time", () => {
  it("reads every byte of the expected key once, whatever the presented key's length or content", () => {
    const presented = [
      "",
      "k",
      TEST_KEY.slice(0, 31),
      TEST_KEY,
      `X${TEST_KEY.slice(1)}`,
      `${TEST_KEY.slice(0, 31)}X`,
      `${TEST_KEY}k`,
      TEST_KEY.repeat(2),
      "é".repeat(16),
      "x".repeat(10_000),
    ];
    const allIndices = Array.from({ length: TEST_KEY.length }, (_, index) => index);
    for (const candidate of presented) {
      const { reads } = countingEncoder();
      const matched = keysMatch(candidate, TEST_KEY);
      expect(matched).toBe(candidate === TEST_KEY);
      // No early exit on a length mismatch nor at the first differing byte: the same 32 steps every time.
      expect(reads.get(TEST_KEY)).toEqual(allIndices);
      expect(reads.get(candidate)).toHaveLength(TEST_KEY.length);
      vi.restoreAllMocks();
    }
  });

  it("gets to the comparison for every well-formed Bearer header, right key or not", () => {
    const spy = vi.spyOn(TextEncoder.prototype, "encode");
    for (const key of ["x", "short", TEST_KEY, TEST_KEY.toUpperCase(), TEST_KEY.repeat(3)]) {
      spy.mockClear();
      const refused = checkAuthorization(`Bearer ${key}`, TEST_KEY);
      expect(refused === undefined).toBe(key === TEST_KEY);
      // Both keys were encoded and compared: no shortcut on the presented key's length.
      expect(spy).toHaveBeenCalledTimes(2);
    }
  });
});
