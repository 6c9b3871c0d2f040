import { createTestClient, mockBots } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { AttachmentOutputBot, FILE_NAME } from "./index.js";

const KEY = "attachout-test-key-0123456789abc";

describe("attachment-output", () => {
  it("default-exports a bot with an introduction", async () => {
    expect(bot).toBeInstanceOf(AttachmentOutputBot);
    expect((await createTestClient(new AttachmentOutputBot()).settings()).introduction_message).toBeTruthy();
  });

  it("uploads the message as a text file and attaches it before its text", async () => {
    using mocks = mockBots({});
    const message = "Line one\nLigne deux, déjà 🙂";
    const response = await createTestClient(new AttachmentOutputBot({ accessKey: KEY })).query([
      "An earlier message",
      { role: "bot", content: "An earlier answer" },
      message,
    ]);
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.events.map((event) => event.event)).toEqual(["file", "text", "done"]);
    expect(response.text).toBe(`Here is your message as a file, ${FILE_NAME}.`);

    const [upload, ...more] = mocks.uploads;
    expect(more).toEqual([]);
    expect(upload?.name).toBe(FILE_NAME);
    expect(upload?.contentType).toBe("text/plain");
    expect(new TextDecoder().decode(upload?.bytes ?? new Uint8Array())).toBe(message);
    expect(response.files).toEqual([
      { url: upload?.url, content_type: "text/plain", name: FILE_NAME, inline_ref: null },
    ]);
  });

  it("asks for text, and uploads nothing, when the message is empty", async () => {
    using mocks = mockBots({});
    const response = await createTestClient(new AttachmentOutputBot({ accessKey: KEY })).query("   ");
    expect(response.text).toBe("Send me some text and I will give it back to you as a file.");
    expect(response.files).toEqual([]);
    expect(mocks.uploads).toEqual([]);
  });

  it("says why it cannot attach the file when it has no access key", async () => {
    using mocks = mockBots({});
    const response = await createTestClient(new AttachmentOutputBot()).query("Hello");
    expect(response.error?.text).toMatch(/^Could not attach message\.txt: .*access key/);
    expect(response.done).toBe(true);
    expect(mocks.uploads).toEqual([]);
  });
});
