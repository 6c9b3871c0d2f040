import { describe, expect, it } from "vitest";
import { red, useColor } from "./use-color.js";

const terminal = { isTTY: true, write: () => true };
const pipe = { write: () => true };

describe("useColor", () => {
  it("colours a terminal only, unless NO_COLOR (non-empty) or TERM=dumb", () => {
    expect(useColor(terminal, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
    expect(useColor(terminal, { NO_COLOR: "1" })).toBe(false);
    expect(useColor(terminal, { NO_COLOR: "" })).toBe(true);
    expect(useColor(terminal, { TERM: "dumb" })).toBe(false);
  });

  it("follows FORCE_COLOR first, as Node does: 0 or false off, anything else on, in a pipe too", () => {
    expect(useColor(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: "" })).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: "3", NO_COLOR: "1" })).toBe(true);
    expect(useColor(terminal, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColor(terminal, { FORCE_COLOR: "false" })).toBe(false);
  });

  it("red wraps the text only when colouring", () => {
    expect(red("error", true)).toBe("\u001b[31merror\u001b[39m");
    expect(red("error", false)).toBe("error");
  });
});
