import { describe, expect, it } from "vitest";
import { markdownLinks } from "./markdown-links.js";

describe("markdownLinks", () => {
  it("finds links and images with their lines, without titles or angle brackets", () => {
    const text =
      'Intro\nSee [settings](guides/settings.md#sync "Sync") and ![a cat](<img/cat.png>).\n[x](b.md)';
    expect(markdownLinks(text)).toEqual([
      { target: "guides/settings.md#sync", line: 2 },
      { target: "img/cat.png", line: 2 },
      { target: "b.md", line: 3 },
    ]);
  });

  it("leaves out code blocks and inline code", () => {
    const text = "```ts\nconst a = [x](y);\n```\n`[not](a-link)` but [this](c.md)\n";
    expect(markdownLinks(text)).toEqual([{ target: "c.md", line: 4 }]);
  });

  it("reads link text that holds brackets", () => {
    expect(markdownLinks("[`foo[0]` and [b]](d.md)")).toEqual([{ target: "d.md", line: 1 }]);
  });
});
