import { createTestClient } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { AttachmentsBot } from "./index.js";

/** A user message with files attached, the way Poe sends it. */
function messageWith(...files: { name: string; content_type: string; parsed_content?: string }[]) {
  return {
    role: "user" as const,
    content: "What is in these?",
    attachments: files.map((file) => ({ url: `https://files.example/${file.name}`, ...file })),
  };
}

describe("AttachmentsBot", () => {
  it("is the module's default export", () => {
    expect(bot).toBeInstanceOf(AttachmentsBot);
  });

  it("counts the files and describes the text Poe extracted from each (an image's description)", async () => {
    const response = await createTestClient(new AttachmentsBot()).query([
      messageWith(
        { name: "notes.txt", content_type: "text/plain", parsed_content: "Buy milk\nand bread" },
        { name: "cat.png", content_type: "image/png", parsed_content: "cat.png***A cat asleep on a sofa." },
        { name: "song.mp3", content_type: "audio/mpeg" },
      ),
    ]);
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.text).toBe(
      [
        "You attached 3 files:",
        "",
        '- **notes.txt** (text/plain): 4 words, "Buy milk and bread"',
        '- **cat.png** (image/png): 6 words, "A cat asleep on a sofa."',
        "- **song.mp3** (audio/mpeg): Poe sent no text for it.",
        "",
      ].join("\n"),
    );
  });

  it("quotes only the start of a long text", async () => {
    const long = "word ".repeat(100);
    const response = await createTestClient(new AttachmentsBot()).query([
      messageWith({ name: "long.txt", content_type: "text/plain", parsed_content: long }),
    ]);
    expect(response.text).toContain("100 words");
    expect(response.text).toContain(`"${"word ".repeat(16)}…"`);
  });

  it("asks for a file when there is none", async () => {
    const response = await createTestClient(new AttachmentsBot()).query("Hello");
    expect(response.text).toMatch(/^Attach a file/);
  });

  it("accepts attachments, with their text extracted by Poe", async () => {
    const settings = await createTestClient(new AttachmentsBot()).settings();
    expect(settings).toMatchObject({
      allow_attachments: true,
      expand_text_attachments: true,
      enable_image_comprehension: true,
    });
  });
});
