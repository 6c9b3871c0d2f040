import { describe, expect, it } from "vitest";
import { accessKeyFrom } from "./access-key.js";

describe("accessKeyFrom", () => {
  it("reads a Bearer key in any case, or a key alone", () => {
    expect(accessKeyFrom("Bearer abc")).toBe("abc");
    expect(accessKeyFrom("  bearer   abc  ")).toBe("abc");
    expect(accessKeyFrom("abc")).toBe("abc");
    expect(accessKeyFrom("bearerish")).toBe("bearerish");
  });

  it("is null without a key", () => {
    expect(accessKeyFrom(undefined)).toBeNull();
    expect(accessKeyFrom("   ")).toBeNull();
    expect(accessKeyFrom("Bearer ")).toBeNull();
    expect(accessKeyFrom("bearer")).toBeNull();
  });
});
