import { describe, expect, it } from "vitest";
import { readInfoAttributes } from "./info-string.js";

describe("readInfoAttributes", () => {
  it("reads bare words, values and quoted values with spaces", () => {
    expect(
      readInfoAttributes(["cwd=my-bot", 'background="chat', "with", 'my-bot"', "output", 'skip="a', '=b"']),
    ).toEqual({ cwd: "my-bot", background: "chat with my-bot", output: "", skip: "a =b" });
  });

  it("reads nothing from no words", () => {
    expect(readInfoAttributes([])).toEqual({});
  });

  it("refuses what it cannot read, such as an unclosed quote", () => {
    expect(() => readInfoAttributes(['skip="needs', "docker"])).toThrow(/Cannot read the info string/);
  });
});
