import { inflateSync } from "node:zlib";
import { createTestClient, mockBots } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { colourIn, DEFAULT_COLOUR, InlineImageBot, SWATCH_SIZE, swatch } from "./index.js";
import { crc32, encodePng } from "./png.js";

const KEY = "inlineimg-test-key-0123456789abc";

/** A PNG read back: its header fields and pixels, every chunk's CRC checked on the way. */
function decodePng(png: Uint8Array) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const typed = png.subarray(at + 4, at + 8 + length);
    expect(view.getUint32(at + 8 + length)).toBe(crc32(typed));
    chunks.push({ type: new TextDecoder().decode(typed.subarray(0, 4)), data: typed.subarray(4) });
    at += 12 + length;
  }
  expect(chunks.map((chunk) => chunk.type)).toEqual(["IHDR", "IDAT", "IEND"]);
  const header = chunks[0]?.data ?? new Uint8Array();
  const headerView = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const width = headerView.getUint32(0);
  const height = headerView.getUint32(4);
  expect([...header.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
  const raw = inflateSync(chunks[1]?.data ?? new Uint8Array());
  expect(raw.length).toBe(height * (1 + width * 3));
  const pixel = (x: number, y: number) => {
    const at = y * (1 + width * 3);
    expect(raw[at]).toBe(0);
    return [...raw.subarray(at + 1 + x * 3, at + 4 + x * 3)];
  };
  return { width, height, pixel };
}

describe("png", () => {
  it("computes the CRC-32 of PNG chunks", () => {
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it("encodes every pixel where it belongs", async () => {
    const image = decodePng(await encodePng(3, 2, (x, y) => [x * 100, y * 200, 7]));
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(image.pixel(0, 0)).toEqual([0, 0, 7]);
    expect(image.pixel(2, 0)).toEqual([200, 0, 7]);
    expect(image.pixel(1, 1)).toEqual([100, 200, 7]);
  });

  it("refuses an empty image", async () => {
    await expect(encodePng(0, 4, () => [0, 0, 0])).rejects.toThrow(RangeError);
  });
});

describe("attachment-output-inline", () => {
  it("default-exports a bot with an introduction", async () => {
    expect(bot).toBeInstanceOf(InlineImageBot);
    expect((await createTestClient(new InlineImageBot()).settings()).introduction_message).toBeTruthy();
  });

  it("reads a hex code first, then a colour name", () => {
    expect(colourIn("Draw #F80 please")).toBe("ff8800");
    expect(colourIn("teal, or rather #123abc?")).toBe("123abc");
    expect(colourIn("Something Teal and red")).toBe("00897b");
    expect(colourIn("#12345 is not a colour, nor is #ggg")).toBeUndefined();
    expect(colourIn("reddish")).toBeUndefined();
  });

  it("draws a swatch of the colour as a square PNG", async () => {
    const image = decodePng(await swatch("ff8800"));
    expect([image.width, image.height]).toEqual([SWATCH_SIZE, SWATCH_SIZE]);
    expect(image.pixel(0, 0)).toEqual([0xff, 0x88, 0x00]);
    expect(image.pixel(SWATCH_SIZE - 1, SWATCH_SIZE - 1)).toEqual([0xff, 0x88, 0x00]);
    await expect(swatch("orange")).rejects.toThrow(RangeError);
  });

  it("uploads the PNG as an inline file and refers to it in the Markdown", async () => {
    using mocks = mockBots({});
    const response = await createTestClient(new InlineImageBot({ accessKey: KEY })).query("Draw #00ff00");
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.events.map((event) => event.event)).toEqual(["file", "text", "done"]);

    const [upload] = mocks.uploads;
    expect(upload).toMatchObject({ name: "00ff00.png", contentType: "image/png" });
    expect(decodePng(upload?.bytes ?? new Uint8Array()).pixel(5, 5)).toEqual([0, 255, 0]);
    const [file] = response.files;
    expect(file).toMatchObject({ url: upload?.url, content_type: "image/png", name: "00ff00.png" });
    expect(file?.inline_ref).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(response.text).toBe(`Here is #00ff00:\n\n![00ff00.png][${file?.inline_ref}]`);
  });

  it("draws its own colour, and says how to choose, when the message names none", async () => {
    using mocks = mockBots({});
    const response = await createTestClient(new InlineImageBot({ accessKey: KEY })).query("hello");
    expect(mocks.uploads[0]?.name).toBe(`${DEFAULT_COLOUR}.png`);
    expect(response.text).toMatch(
      /^You named no colour, so here is #5d5cde\. .*teal.*\n\n!\[5d5cde\.png\]\[\w{8}\]$/,
    );
  });

  it("says why it cannot attach the image when it has no access key", async () => {
    using mocks = mockBots({});
    const response = await createTestClient(new InlineImageBot()).query("red");
    expect(response.error?.text).toMatch(/^Could not attach the image: .*access key/);
    expect(response.files).toEqual([]);
    expect(mocks.uploads).toEqual([]);
  });
});
