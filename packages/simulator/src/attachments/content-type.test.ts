import { describe, expect, it } from "vitest";
import { contentTypeFor, DEFAULT_CONTENT_TYPE, extensionOf, normaliseContentType } from "./content-type.js";

describe("contentTypeFor", () => {
  it.each([
    ["a.txt", "text/plain"],
    ["a.md", "text/markdown"],
    ["a.csv", "text/csv"],
    ["a.json", "application/json"],
    ["a.html", "text/html"],
    ["a.htm", "text/html"],
    ["a.pdf", "application/pdf"],
    ["a.png", "image/png"],
    ["a.jpg", "image/jpeg"],
    ["a.jpeg", "image/jpeg"],
    ["a.gif", "image/gif"],
    ["a.webp", "image/webp"],
    ["a.bmp", "image/bmp"],
    ["a.svg", "image/svg+xml"],
    ["a.mp3", "audio/mpeg"],
    ["a.mp4", "video/mp4"],
    ["a.zip", "application/zip"],
  ])("maps %s to %s when nothing is declared", (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
    expect(contentTypeFor(name, "")).toBe(type);
    expect(contentTypeFor(name, "application/octet-stream")).toBe(type);
  });

  it("prefers a specific declared type over the extension", () => {
    expect(contentTypeFor("data.txt", "text/csv")).toBe("text/csv");
    expect(contentTypeFor("noextension", "image/png")).toBe("image/png");
  });

  it("normalises case, parameters and known aliases", () => {
    expect(contentTypeFor("x", "Text/Plain; charset=UTF-8")).toBe("text/plain");
    expect(contentTypeFor("x", "image/jpg")).toBe("image/jpeg");
    expect(contentTypeFor("x", "text/x-markdown")).toBe("text/markdown");
  });

  it("matches extensions case-insensitively", () => {
    expect(contentTypeFor("REPORT.PDF")).toBe("application/pdf");
    expect(contentTypeFor("Photo.JpEg")).toBe("image/jpeg");
  });

  it("ignores a malformed declared type", () => {
    expect(contentTypeFor("a.md", "not a type")).toBe("text/markdown");
    expect(contentTypeFor("a.md", "text/")).toBe("text/markdown");
  });

  it("falls back to application/octet-stream", () => {
    expect(contentTypeFor("archive.rar")).toBe(DEFAULT_CONTENT_TYPE);
    expect(contentTypeFor("README")).toBe(DEFAULT_CONTENT_TYPE);
    expect(contentTypeFor(".env")).toBe(DEFAULT_CONTENT_TYPE);
    expect(contentTypeFor("")).toBe(DEFAULT_CONTENT_TYPE);
  });
});

describe("extensionOf", () => {
  it("reads the last extension of the base name", () => {
    expect(extensionOf("backup.tar.GZ")).toBe("gz");
    expect(extensionOf("dir.v2/readme")).toBe("");
    expect(extensionOf("C:\\docs.old\\notes.md")).toBe("md");
    expect(extensionOf(".gitignore")).toBe("");
    expect(extensionOf("trailing.")).toBe("");
  });
});

describe("normaliseContentType", () => {
  it("returns null for missing or malformed types", () => {
    expect(normaliseContentType(undefined)).toBeNull();
    expect(normaliseContentType(null)).toBeNull();
    expect(normaliseContentType("   ")).toBeNull();
    expect(normaliseContentType("image")).toBeNull();
  });

  it("keeps structured-syntax suffixes", () => {
    expect(normaliseContentType(" IMAGE/SVG+XML ")).toBe("image/svg+xml");
  });
});
