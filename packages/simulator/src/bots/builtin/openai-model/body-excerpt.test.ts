import { describe, expect, it } from "vitest";
import { BODY_EXCERPT, bodyExcerpt } from "./body-excerpt.js";

describe("bodyExcerpt", () => {
  it("puts a body on one line", () => {
    expect(bodyExcerpt('{\n  "error":\t"busy"\n}\n')).toBe('{ "error": "busy" }');
  });

  it("cuts a long body to BODY_EXCERPT characters, ending in an ellipsis", () => {
    const cut = bodyExcerpt("x".repeat(BODY_EXCERPT + 1));
    expect(cut).toHaveLength(BODY_EXCERPT);
    expect(cut.endsWith("…")).toBe(true);
    expect(bodyExcerpt("x".repeat(BODY_EXCERPT))).toBe("x".repeat(BODY_EXCERPT));
  });
});
