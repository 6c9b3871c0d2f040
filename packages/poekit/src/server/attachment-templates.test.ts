import { describe, expect, it } from "vitest";
import {
  ATTACHMENT_TEMPLATES,
  imageAttachmentPrompt,
  textAttachmentPrompt,
  urlAttachmentPrompt,
} from "./attachment-templates.js";

describe("ATTACHMENT_TEMPLATES", () => {
  it("marks each template's placeholders", () => {
    expect(ATTACHMENT_TEMPLATES.text).toContain("{attachment_name}");
    expect(ATTACHMENT_TEMPLATES.text).toContain("{attachment_parsed_content}");
    expect(ATTACHMENT_TEMPLATES.url).toContain("{attachment_name}");
    expect(ATTACHMENT_TEMPLATES.url).toContain("{content}");
    expect(ATTACHMENT_TEMPLATES.image).toContain("{filename}");
    expect(ATTACHMENT_TEMPLATES.image).toContain("{parsed_image_description}");
  });

  it("cannot be changed in place", () => {
    expect(Object.isFrozen(ATTACHMENT_TEMPLATES)).toBe(true);
  });
});

describe("textAttachmentPrompt", () => {
  it("has a language line, an intro line naming the file ending in a colon, a blank line, the content", () => {
    const prompt = textAttachmentPrompt({ attachmentName: "notes.txt", parsedContent: "line 1\nline 2" });
    const lines = prompt.split("\n");
    expect(lines[0]).toMatch(/language/);
    expect(lines[1]).toContain("notes.txt");
    expect(lines[1]).toMatch(/:$/);
    expect(lines[2]).toBe("");
    expect(lines.slice(3).join("\n")).toBe("line 1\nline 2");
    expect(prompt).not.toMatch(/\{\w+\}/);
  });

  it("inserts values literally, even when they contain markers or `$` patterns", () => {
    const prompt = textAttachmentPrompt({
      attachmentName: "{content}.txt",
      parsedContent: "$& $1 {filename}",
    });
    expect(prompt).toContain("{content}.txt");
    expect(prompt.endsWith("\n\n$& $1 {filename}")).toBe(true);
  });

  it("accepts a template of the caller's own", () => {
    const prompt = textAttachmentPrompt(
      { attachmentName: "a.txt", parsedContent: "hello" },
      "[{attachment_name}] {attachment_parsed_content} {unknown}",
    );
    expect(prompt).toBe("[a.txt] hello {unknown}");
  });
});

describe("urlAttachmentPrompt", () => {
  it("says the URL can be opened, asks for the queries' language, then intro, blank line, content", () => {
    const prompt = urlAttachmentPrompt({ attachmentName: "https://example.com/a", content: "Page text" });
    const lines = prompt.split("\n");
    expect(lines[0]).toContain("https://example.com/a");
    expect(lines[0]).toMatch(/language/);
    expect(lines[1]).toContain("https://example.com/a");
    expect(lines[1]).toMatch(/:$/);
    expect(lines[2]).toBe("");
    expect(lines.slice(3).join("\n")).toBe("Page text");
    expect(prompt).not.toMatch(/\{\w+\}/);
  });
});

describe("imageAttachmentPrompt", () => {
  it("names the file in parentheses and wraps the description in <image_analysis> between blank lines", () => {
    const prompt = imageAttachmentPrompt({ filename: "cat.png", parsedImageDescription: "A grey cat" });
    expect(prompt).toContain("(cat.png)");
    const [intro, analysis, instructions] = prompt.split("\n\n");
    expect(intro).toContain("(cat.png)");
    expect(analysis).toBe("<image_analysis>\nA grey cat\n</image_analysis>");
    expect(instructions).toMatch(/language/);
    expect(instructions).toMatch(/next message/);
    expect(prompt).not.toMatch(/\{\w+\}/);
  });
});
