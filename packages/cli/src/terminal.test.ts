import { describe, expect, it } from "vitest";
import { startProgress } from "./progress.js";
import { colorsFor, useColor } from "./terminal.js";

const terminal = { isTTY: true, write: () => true };
const pipe = { write: () => true };

describe("useColor / colorsFor", () => {
  it("colours a terminal only", () => {
    expect(useColor(terminal, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
    expect(colorsFor(terminal, {}).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(colorsFor(pipe, {}).red("x")).toBe("x");
  });

  it("follows no-color.org: NO_COLOR set to anything but the empty string turns colour off", () => {
    expect(useColor(terminal, { NO_COLOR: "1" })).toBe(false);
    expect(useColor(terminal, { NO_COLOR: "" })).toBe(true);
    expect(useColor(terminal, { TERM: "dumb" })).toBe(false);
  });

  it("follows FORCE_COLOR first, as Node does: 0 or false off, anything else on, in a pipe too", () => {
    expect(useColor(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
    expect(colorsFor(pipe, { FORCE_COLOR: "1" }).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(useColor(terminal, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColor(terminal, { FORCE_COLOR: "false" })).toBe(false);
  });
});

describe("startProgress off a terminal", () => {
  it("writes only the final line, once", () => {
    let output = "";
    const stream = { write: (text: string) => (output += text) };
    const progress = startProgress("Working", { stream, env: {} });
    progress.update("Still working");
    expect(output).toBe("");
    progress.succeed("Done in 1 s");
    progress.fail("ignored: already settled");
    expect(output).toBe("✔ Done in 1 s\n");
  });

  it("writes nothing when stopped", () => {
    let output = "";
    const progress = startProgress("Working", {
      stream: { write: (text: string) => (output += text) },
      env: {},
    });
    progress.stop();
    expect(output).toBe("");
  });
});
