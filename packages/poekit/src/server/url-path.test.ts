import { describe, expect, it } from "vitest";
import { pathOf } from "./url-path.js";

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
