import { describe, expect, it } from "vitest";
import { isoTime } from "./iso-time.js";

describe("isoTime", () => {
  it("matches toISOString, within a second and across seconds", () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 0);
    for (const offset of [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1999, 2000, 2005, 86_400_123]) {
      expect(isoTime(start + offset)).toBe(new Date(start + offset).toISOString());
    }
    expect(isoTime(0)).toBe("1970-01-01T00:00:00.000Z");
  });
});
