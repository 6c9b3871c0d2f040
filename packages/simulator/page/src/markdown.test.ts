import { describe, expect, it } from "vitest";
import type { MessageFile } from "../../src/model.ts";
import {
  closeOpenFence,
  downloadFiles,
  inlineFiles,
  isSafeHref,
  isSafeSrc,
  markdownToHtml,
  referencesLabel,
  urlScheme,
  withInlineRefs,
} from "./markdown.ts";

const file = (inlineRef: string | null, url: string, name = "file.png"): MessageFile => ({
  fileId: null,
  url,
  name,
  contentType: "image/png",
  inlineRef,
});

describe("inline file references", () => {
  it("resolves ![alt][ref] to the file whose inlineRef is ref", () => {
    const files = [file("chart_1", "/files/f1/chart.png?expires=9&signature=s")];
    const html = markdownToHtml("Here:\n\n![Sales chart][chart_1]", files);
    expect(html).toContain('<img src="/files/f1/chart.png?expires=9&amp;signature=s" alt="Sales chart">');
  });

  it("matches labels as CommonMark does: case-insensitive, whitespace collapsed", () => {
    const files = [file("My  Chart", "https://cdn.example.com/c.png")];
    expect(markdownToHtml("![x][my chart]", files)).toContain('src="https://cdn.example.com/c.png"');
    expect(referencesLabel("![x][MY CHART]", "My  Chart")).toBe(true);
  });

  it("resolves labels holding brackets and URLs holding spaces or angle brackets", () => {
    const files = [file("a]b", "/files/x/a b<c>.png")];
    const html = markdownToHtml("![pic][a\\]b]", files);
    expect(html).toContain('src="/files/x/a%20b%3Cc%3E.png"');
  });

  it("keeps a URL's & sequences as they are rather than reading them as HTML entities", () => {
    const files = [file("r", "https://cdn.example.com/i.png?a=1&copy;b=2&amp;c")];
    // In the HTML, every & of the URL is written &amp; (a browser reads the attribute back to the URL).
    expect(markdownToHtml("![i][r]", files)).toContain(
      'src="https://cdn.example.com/i.png?a=1&amp;copy;b=2&amp;amp;c"',
    );
  });

  it("never lets an inline_ref's line breaks add Markdown to the message", () => {
    const files = [file("r\n\n# Injected <b>bold</b>", "https://cdn.example.com/i.png")];
    const html = markdownToHtml("![i][r # injected <b>bold</b>]", files);
    expect(html).not.toMatch(/<h1|Injected|<b>/);
    expect(html).toContain('<img src="https://cdn.example.com/i.png" alt="i">');
  });

  it("leaves the bot's own definition of the same label in force", () => {
    const files = [file("logo", "/files/mine.png")];
    const html = markdownToHtml("![l][logo]\n\n[logo]: https://example.com/theirs.png", files);
    expect(html).toContain('src="https://example.com/theirs.png"');
  });

  it("still resolves while a code block is open mid-stream", () => {
    const files = [file("img", "/files/i.png")];
    const streaming = "![i][img]\n\n```js\nconst a = 1;";
    expect(closeOpenFence(streaming)).toBe(`${streaming}\n\`\`\``);
    const html = markdownToHtml(streaming, files);
    expect(html).toContain('<img src="/files/i.png" alt="i">');
    expect(html).not.toContain("[img]:");
  });

  it("does not close fences that are already closed, or inline code", () => {
    const done = "```\ncode\n```\n\nand ``` inline ``` text";
    expect(closeOpenFence(done)).toBe(done);
    expect(closeOpenFence("~~~~\nx\n~~~\n")).toBe("~~~~\nx\n~~~\n~~~~");
  });

  it("changes nothing without inline files", () => {
    expect(withInlineRefs("text", [file(null, "/files/a.png")])).toBe("text");
  });

  it("splits files into inline ones and downloads", () => {
    const shown = file("shown", "/files/s.png");
    const unreferenced = file("unused", "/files/u.png");
    const plain = file(null, "/files/report.pdf", "report.pdf");
    const files = [shown, unreferenced, plain];
    const content = "![a][shown]";
    expect(inlineFiles(content, files)).toEqual([shown]);
    expect(downloadFiles(content, files)).toEqual([unreferenced, plain]);
  });
});

describe("GFM rendering", () => {
  it("renders tables", () => {
    const html = markdownToHtml("| a | b |\n| --- | ---: |\n| 1 | 2 |");
    expect(html).toContain("<table>");
    expect(html).toMatch(/<th>a<\/th>/);
    expect(html).toMatch(/<td align="right">2<\/td>/);
  });

  it("renders code blocks, lists, task lists, links and strikethrough", () => {
    const html = markdownToHtml(
      "```ts\nlet x = 1 < 2;\n```\n\n1. one\n2. two\n\n- [x] done\n\n[site](https://example.com) ~~old~~",
    );
    expect(html).toContain('<pre><code class="language-ts">let x = 1 &lt; 2;\n</code></pre>');
    expect(html).toContain("<ol>");
    expect(html).toContain('type="checkbox"');
    expect(html).toContain('<a href="https://example.com">site</a>');
    expect(html).toContain("<del>old</del>");
  });
});

describe("URL policy", () => {
  it("finds the scheme as a browser would", () => {
    expect(urlScheme("JavaScript:alert(1)")).toBe("javascript");
    expect(urlScheme("java\tscript:alert(1)")).toBe("javascript");
    expect(urlScheme("\u0001 javascript:alert(1)")).toBe("javascript");
    expect(urlScheme("/files/a:b")).toBeNull();
    expect(urlScheme("page#x:y")).toBeNull();
  });

  it("lets links go to http(s), mailto and relative URLs only", () => {
    for (const ok of [
      "https://a.example/x",
      "http://a",
      "mailto:me@example.com",
      "/x",
      "./y",
      "#top",
      "?q=1",
    ]) {
      expect(isSafeHref(ok), ok).toBe(true);
    }
    for (const bad of [
      "javascript:alert(1)",
      " JAVASCRIPT:x",
      "java\nscript:x",
      "vbscript:x",
      "data:text/html,x",
      "file:///etc/passwd",
      "tel:1",
    ]) {
      expect(isSafeHref(bad), bad).toBe(false);
    }
  });

  it("lets media load from http(s), data:image, blob: and the simulator's /files only", () => {
    for (const ok of [
      "https://a.example/i.png",
      "data:image/png;base64,AAAA",
      "blob:http://127.0.0.1:7777/uuid",
      "/files/abc/i.png?expires=1",
      "//cdn.example.com/i.png",
    ]) {
      expect(isSafeSrc(ok), ok).toBe(true);
    }
    for (const bad of [
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "/api/state",
      "/files/../api/state",
      "relative.png",
      "ftp://a.example/i.png",
    ]) {
      expect(isSafeSrc(bad), bad).toBe(false);
    }
  });
});
