import { describe, expect, it } from "vitest";
import { accessKeyFrom } from "./access-key.js";

describe("accessKeyFrom", () => {
  it("reads a Bearer key in any case, or a key alone", () => {
    expect(accessKeyFrom("Bearer abc")).toBe("abc");
    expect(accessKeyFrom("  bearer   abc  ")).toBe("abc");
    expect(accessKeyFrom("abc")).toBe("abc");
  });

  it("is null without a key", () => {
    expect(accessKeyFrom(undefined)).toBeNull();
    expect(accessKeyFrom("   ")).toBeNull();
  });
});
