import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pathOf, pathOfTarget } from "./url-path.js";

describe("pathOf", () => {
  it.each([
    ["http://h/", "/"],
    ["http://h", "/"],
    ["http://h:8080/a/b?x=1", "/a/b"],
    ["https://h/a#frag", "/a"],
    ["http://h/a?q=/x#y", "/a"],
    ["http://h/%20x", "/%20x"],
  ])("%s → %s", (url, path) => {
    expect(pathOf(url)).toBe(path);
    expect(pathOf(url)).toBe(new URL(url).pathname);
  });
});

describe("pathOfTarget", () => {
  it.each([
    ["/", "/"],
    ["/bot?x=1", "/bot"],
    ["/a#f?g", "/a"],
    ["/a?q=/x#y", "/a"],
    ["//x/y", "//x/y"],
    ["*", "/"],
    ["http://h/b", "//h/b"],
  ])("%s → %s, as pathOf after http://host", (target, path) => {
    expect(pathOfTarget(target)).toBe(path);
    expect(pathOfTarget(target)).toBe(pathOf(`http://host${target}`));
  });

  it("gives what pathOf gives after http://host for generated targets", () => {
    const target = fc
      .array(fc.constantFrom("/", "?", "#", "a", "%", ":", "."), { maxLength: 12 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(target, (text) => {
        expect(pathOfTarget(text)).toBe(pathOf(`http://host${text}`));
      }),
      { numRuns: 2_000 },
    );
  });
});
