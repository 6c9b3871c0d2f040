import { describe, expect, it } from "vitest";
import { jsonProblem } from "./check-json.js";

describe("jsonProblem", () => {
  it("accepts valid JSON", () => {
    expect(jsonProblem('{\n  "a": [1, "// not a comment"]\n}', { comments: false })).toBeUndefined();
  });

  it("refuses comments in json, and says on which line the parser stopped", () => {
    expect(jsonProblem('{\n  "a": 1,\n  // why\n  "b": 2\n}', { comments: false })).toEqual({
      line: 2,
      message: expect.stringMatching(/^Invalid JSON: /),
    });
  });

  it("accepts comments in jsonc, but no trailing comma", () => {
    expect(
      jsonProblem('{\n  "a": 1, // one\n  /* two\n  lines */ "b": "/* kept */"\n}', { comments: true }),
    ).toBeUndefined();
    expect(jsonProblem('{\n  "a": 1, // one\n}', { comments: true })).toMatchObject({ line: 2 });
  });

  it("reports an error without a position on the block's first line", () => {
    expect(jsonProblem("", { comments: false })).toEqual({
      line: 0,
      message: expect.stringContaining("JSON"),
    });
  });
});
