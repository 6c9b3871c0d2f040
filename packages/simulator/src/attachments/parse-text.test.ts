import { describe, expect, it } from "vitest";
import {
  capText,
  DEFAULT_MAX_PARSED_CHARACTERS,
  decodeText,
  parseTextAttachment,
  textKindOf,
} from "./parse-text.js";
import { makePdf } from "./test-support/make-pdf.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("parseTextAttachment", () => {
  it.each([
    ["text/plain", "notes.txt", "plain text\n  with  spacing kept\n"],
    ["text/markdown", "README.md", "# Title\n\n- *item*\n"],
    ["text/csv", "table.csv", "name,age\nAnn,31\n"],
    ["text/x-python", "script.py", "print('hi')\n"],
  ])("returns %s as written", async (type, name, text) => {
    expect(await parseTextAttachment(utf8(text), type, name)).toBe(text);
  });

  it("pretty-prints valid JSON and keeps invalid JSON as it is", async () => {
    expect(await parseTextAttachment(utf8('{"a":[1,2]}'), "application/json", "a.json")).toBe(
      '{\n  "a": [\n    1,\n    2\n  ]\n}',
    );
    expect(await parseTextAttachment(utf8('{"a": [1,'), "application/json", "a.json")).toBe('{"a": [1,');
  });

  it("extracts the visible text of HTML", async () => {
    const html = "<html><head><script>steal()</script></head><body><p>Hello &amp; welcome</p></body></html>";
    const text = await parseTextAttachment(utf8(html), "text/html; charset=utf-8", "page.html");
    expect(text).toBe("Hello & welcome");
    expect(text).not.toContain("steal");
  });

  it("reads both pages of a PDF", async () => {
    const text = await parseTextAttachment(
      makePdf(["Page one says hello", "Page two says goodbye"]),
      "application/pdf",
      "doc.pdf",
    );
    expect(text).toContain("Page one says hello");
    expect(text).toContain("Page two says goodbye");
  });

  it("returns null for a corrupt PDF", async () => {
    expect(await parseTextAttachment(utf8("%PDF-1.7\n%broken"), "application/pdf", "doc.pdf")).toBeNull();
  });

  it.each([
    ["notes.txt", "plain", "text"],
    ["notes.md", "plain", "# md"],
    ["data.csv", "plain", "a,b"],
    ["data.json", "json", "[1]"],
  ])("falls back to the extension of %s when the type is generic or empty", async (name, _kind, text) => {
    const expected = name.endsWith(".json") ? "[\n  1\n]" : text;
    expect(await parseTextAttachment(utf8(text), "application/octet-stream", name)).toBe(expected);
    expect(await parseTextAttachment(utf8(text), "", name)).toBe(expected);
  });

  it("reads a PDF sent as application/octet-stream by its extension", async () => {
    expect(await parseTextAttachment(makePdf(["by extension"]), "application/octet-stream", "x.pdf")).toBe(
      "by extension",
    );
  });

  it.each([
    ["image/png", "cat.png"],
    ["image/jpeg", "photo.jpg"],
    ["video/mp4", "clip.mp4"],
    ["audio/mpeg", "song.mp3"],
    ["application/zip", "archive.zip"],
    ["application/octet-stream", "unknown.bin"],
    ["", "no-extension"],
  ])("returns null for %s", async (type, name) => {
    expect(await parseTextAttachment(utf8("whatever"), type, name)).toBeNull();
  });

  it("decodes invalid UTF-8 with replacement characters", async () => {
    const bytes = Uint8Array.from([0x6f, 0x6b, 0xff, 0x20, 0xc3, 0xa9, 0xe2, 0x82]);
    expect(await parseTextAttachment(bytes, "text/plain", "a.txt")).toBe("ok\uFFFD é\uFFFD");
  });

  it("cuts text longer than the maximum and says so", async () => {
    const text = await parseTextAttachment(utf8("abcdefghij"), "text/plain", "a.txt", { maxCharacters: 4 });
    expect(text).toBe("abcd\n\n[The text was cut here: only the first 4 of its 10 characters are included.]");
  });

  it("keeps text up to the default maximum of 1,000,000 characters", async () => {
    expect(DEFAULT_MAX_PARSED_CHARACTERS).toBe(1_000_000);
    const exact = "x".repeat(DEFAULT_MAX_PARSED_CHARACTERS);
    expect(await parseTextAttachment(utf8(exact), "text/plain", "a.txt")).toBe(exact);
    const over = await parseTextAttachment(utf8(`${exact}y`), "text/plain", "a.txt");
    expect(over?.startsWith(exact)).toBe(true);
    expect(over).toContain("first 1,000,000 of its 1,000,001 characters");
  });
});

describe("textKindOf", () => {
  it("classifies by normalised type, then by extension", () => {
    expect(textKindOf("TEXT/HTML", "x")).toBe("html");
    expect(textKindOf("", "page.htm")).toBe("html");
    expect(textKindOf("application/json; charset=utf-8", "x")).toBe("json");
    expect(textKindOf("application/x-pdf", "x")).toBe("pdf");
    expect(textKindOf("text/yaml", "x.yaml")).toBe("plain");
    expect(textKindOf("image/svg+xml", "x.svg")).toBeNull();
  });
});

describe("decodeText", () => {
  it("drops a UTF-8 byte order mark", () => {
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toBe("hi");
  });

  it("reads UTF-16 text marked by a byte order mark", () => {
    expect(decodeText(Uint8Array.from([0xff, 0xfe, 0x68, 0x00, 0xe9, 0x00]))).toBe("hé");
    expect(decodeText(Uint8Array.from([0xfe, 0xff, 0x00, 0x68, 0x00, 0xe9]))).toBe("hé");
  });
});

describe("capText", () => {
  it("leaves text that fits alone", () => {
    expect(capText("abc", 3)).toBe("abc");
  });

  it("never splits a surrogate pair", () => {
    expect(capText("ab😀cd", 3).startsWith("ab\n\n")).toBe(true);
  });
});
