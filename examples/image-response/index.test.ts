import { createTestClient } from "poekit/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import bot, { CAT_IMAGE, ImageResponseBot, markdownImage } from "./index.js";

describe("image-response", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("default-exports the bot", () => {
    expect(bot).toBeInstanceOf(ImageResponseBot);
  });

  it("answers with a Markdown image of a stable https URL, fetching nothing", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const response = await createTestClient(new ImageResponseBot()).query("Show me a cat");
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.text).toBe(`Here is a cat:\n\n![${CAT_IMAGE.alt}](${CAT_IMAGE.url})`);
    const [, alt, url] = /!\[([^\]]+)\]\(([^)\s]+)\)/.exec(response.text) ?? [];
    expect(alt).toBe(CAT_IMAGE.alt);
    expect(new URL(url ?? "").protocol).toBe("https:");
    expect(new URL(url ?? "").hostname).toBe("upload.wikimedia.org");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("answers the same to an empty conversation", async () => {
    const response = await createTestClient(new ImageResponseBot()).query([]);
    expect(response.text).toContain(CAT_IMAGE.url);
  });

  it("escapes brackets in the alt text", () => {
    expect(markdownImage({ url: "https://example.com/a.png", alt: "a [b] c\\" })).toBe(
      "![a \\[b\\] c\\\\](https://example.com/a.png)",
    );
  });
});
