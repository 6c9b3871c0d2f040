import { PoeBot } from "poekit";

/** The picture the bot shows: a file on Wikimedia Commons, whose URLs do not change. */
export const CAT_IMAGE = {
  url: "https://upload.wikimedia.org/wikipedia/commons/3/3a/Cat03.jpg",
  alt: "A tabby cat looking into the camera",
} as const;

/**
 * Markdown that shows an image: `![alt text](url)`.
 * @example
 * markdownImage({ url: "https://example.com/a.png", alt: "A" }); // "![A](https://example.com/a.png)"
 */
export function markdownImage(image: { url: string; alt: string }): string {
  // A bracket would end the alt text early; a backslash keeps it.
  const alt = image.alt.replace(/[[\]\\]/g, (character) => `\\${character}`);
  return `![${alt}](${image.url})`;
}

/**
 * Answers every message with a picture. The bot only writes its URL in Markdown; Poe fetches and
 * shows the image, so the bot needs no download and no upload.
 * @example
 * export default new ImageResponseBot();
 */
export class ImageResponseBot extends PoeBot {
  override async *getResponse() {
    yield "Here is a cat:\n\n";
    yield markdownImage(CAT_IMAGE);
  }
}

export default new ImageResponseBot();
