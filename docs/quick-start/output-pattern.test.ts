import { describe, expect, it } from "vitest";
import { outputPattern } from "./output-pattern.js";

describe("outputPattern", () => {
  it("matches whole lines in a row, … standing for any text of its line", () => {
    const pattern = outputPattern("event: text\ndata: {…}\n\nevent: done\n");
    expect(pattern.test('> npm start\nevent: text\ndata: {"text":"olleH"}\n\nevent: done\ndata: {}\n')).toBe(
      true,
    );
    expect(pattern.test('event: text\ndata: {"text":"a"}\nevent: done\n')).toBe(false);
  });

  it("reads the rest literally, regular expression characters included", () => {
    expect(outputPattern("reloads on save (Ctrl-C stops)").test("reloads on save (Ctrl-C stops)")).toBe(true);
    expect(outputPattern("a.c").test("abc")).toBe(false);
  });

  it("lets … span no line break, and wants the line whole", () => {
    expect(outputPattern("in … ms").test("in 3\n ms")).toBe(false);
    expect(outputPattern("in … ms").test("reloaded in 3 ms")).toBe(false);
    expect(outputPattern("… in … ms").test("reloaded in 3 ms\r\n")).toBe(true);
  });
});
