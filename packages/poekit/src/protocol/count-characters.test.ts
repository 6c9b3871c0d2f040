import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countCharacters } from "./count-characters.js";

describe("countCharacters", () => {
  it("counts code points, as Python's len() does", () => {
    expect(countCharacters("")).toBe(0);
    expect(countCharacters("hello")).toBe(5);
    expect(countCharacters("héllo 👋")).toBe(7);
    expect(countCharacters("👨‍👩‍👧")).toBe(5); // three people and two joiners
    // A lone surrogate is one unit, and one character to Python too.
    expect(countCharacters("\uD83D")).toBe(1);
    expect(countCharacters("\uDC4B\uD83D")).toBe(2);
  });

  it("equals the number of code points JavaScript's string iterator yields, for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(countCharacters(text)).toBe([...text].length);
      }),
    );
  });
});
