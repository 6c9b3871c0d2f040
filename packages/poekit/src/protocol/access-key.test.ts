import { describe, expect, it } from "vitest";
import { accessKeyProblem, keysMatch } from "./access-key.js";

describe("keysMatch", () => {
  const key = "abcdefghijklmnopqrstuvwxyz012345";

  it("matches only the identical key", () => {
    expect(keysMatch(key, key)).toBe(true);
    for (const other of [
      "",
      key.slice(0, 31),
      `${key}x`,
      `X${key.slice(1)}`,
      `${key.slice(0, 31)}X`,
      key.toUpperCase(),
      key + key,
    ]) {
      expect(keysMatch(other, key), other).toBe(false);
    }
  });

  it("compares non-ASCII keys by their bytes", () => {
    expect(keysMatch("é".repeat(16), "é".repeat(16))).toBe(true);
    expect(keysMatch("e".repeat(32), "é".repeat(16))).toBe(false);
  });
});

describe("accessKeyProblem", () => {
  it("accepts 32 printable ASCII characters", () => {
    expect(accessKeyProblem("A".repeat(32))).toBeUndefined();
  });

  it("says what is wrong without repeating the key", () => {
    expect(accessKeyProblem("secret")).toMatch(/is 6 characters long; Poe access keys are exactly 32/);
    expect(accessKeyProblem("secret")).not.toContain("secret");
    expect(accessKeyProblem(`${"a".repeat(31)} `)).toMatch(/not printable ASCII/);
  });
});
