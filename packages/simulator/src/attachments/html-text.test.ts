import { describe, expect, it } from "vitest";
import { decodeCharacterReferences, htmlToText } from "./html-text.js";

describe("htmlToText", () => {
  it("keeps the visible text of a whole document and drops head, script and style", () => {
    const html = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Page title</title>
  <style>body { color: red; } .secret::after { content: "styled"; }</style>
  <script>var hidden = "script content";</script>
</head>
<body>
  <!-- a comment that must not show -->
  <h1>Welcome</h1>
  <p>First   paragraph,
     spread over lines.</p>
  <script type="module">
    document.write("<p>written by script</p>");
  </script>
  <p>Second &amp; last.</p>
</body>
</html>`;
    const text = htmlToText(html);
    expect(text).toBe("Welcome\n\nFirst paragraph, spread over lines.\n\nSecond & last.");
    for (const hidden of [
      "script content",
      "written by script",
      "styled",
      "color",
      "Page title",
      "comment",
    ]) {
      expect(text).not.toContain(hidden);
    }
  });

  it("removes tags, including attributes that contain '>'", () => {
    expect(htmlToText('<a href="x" title="a > b">link</a> and <b>bold</b>')).toBe("link and bold");
    expect(htmlToText("<img src='a.png' alt='x > y'>after")).toBe("after");
  });

  it("does not let decoded entities become tags", () => {
    expect(htmlToText("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")).toBe("<script>alert(1)</script>");
  });

  it("keeps a lone '<' that starts no tag", () => {
    expect(htmlToText("<p>1 < 2 and 3 <= 4</p>")).toBe("1 < 2 and 3 <= 4");
  });

  it("turns blocks into lines and <br> into line breaks, with at most one blank line", () => {
    const html = "<div>one</div><div>two</div><ul><li>a</li><li>b</li></ul>x<br>y<br><br><br><br>z";
    expect(htmlToText(html)).toBe("one\ntwo\n\na\nb\n\nx\ny\n\nz");
  });

  it("separates table cells and rows", () => {
    const html = "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>31</td></tr></table>";
    expect(htmlToText(html)).toBe("Name Age\nAnn 31");
  });

  it("collapses whitespace across inline tags", () => {
    expect(htmlToText("<p><b>bold </b> <i> italic</i>\n<span>\tend</span></p>")).toBe("bold italic end");
    expect(htmlToText("<td>a</td>\n  <td>b</td>")).toBe("a b");
  });

  it("keeps the spacing inside <pre>", () => {
    const html = "<p>Code:</p><pre>if (x) {\n  return  1;\n}</pre><p>done</p>";
    expect(htmlToText(html)).toBe("Code:\n\nif (x) {\n  return  1;\n}\n\ndone");
  });

  it("drops a head with no end tag up to <body>", () => {
    expect(htmlToText("<html><head><title>T</title><meta x=1><body>shown")).toBe("shown");
  });

  it("drops the rest of the input after an unclosed <script>", () => {
    expect(htmlToText("before<script>never closed <p>not shown")).toBe("before");
  });

  it("handles uppercase tags and end tags with spaces", () => {
    expect(htmlToText("<P>a</P><SCRIPT>x()</SCRIPT ><Style>b{}</STYLE>c")).toBe("a\n\nc");
  });

  it("treats content that uses the marker characters as content, not breaks", () => {
    expect(htmlToText("a\uE000b&#xE002;c")).toBe("a\uFFFDb\uFFFDc");
  });

  it("returns an empty string when nothing is visible", () => {
    expect(htmlToText("<script>x</script><style>y</style>")).toBe("");
    expect(htmlToText("")).toBe("");
  });
});

describe("decodeCharacterReferences", () => {
  it("decodes named, decimal and hexadecimal references", () => {
    expect(decodeCharacterReferences("&quot;Caf&eacute;&quot; &copy; &#169; &#xA9; &#X1F600; &hellip;")).toBe(
      '"Café" © © © 😀 …',
    );
  });

  it("decodes the Latin-1 letters by name", () => {
    expect(decodeCharacterReferences("&Agrave;&AElig;&times;&szlig;&agrave;&divide;&yuml;")).toBe("ÀÆ×ßà÷ÿ");
  });

  it("replaces references to impossible code points", () => {
    expect(decodeCharacterReferences("&#0;&#xD800;&#x110000;")).toBe("\uFFFD\uFFFD\uFFFD");
  });

  it("leaves unknown names and bare ampersands alone", () => {
    expect(decodeCharacterReferences("AT&T &unknown; & &amp")).toBe("AT&T &unknown; & &amp");
  });
});
