import { describe, expect, it } from "vitest";
import { describeImage, formatByteSize, readImageInfo } from "./describe-image.js";

// Minimal headers, byte by byte, as each format's specification lays them out.
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const u16be = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u16le = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

function png(width: number, height: number): Uint8Array {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes(
    signature,
    u32be(13),
    ascii("IHDR"),
    u32be(width),
    u32be(height),
    [8, 6, 0, 0, 0],
    [0, 0, 0, 0],
  );
}

function jpeg(width: number, height: number, frameMarker = 0xc0): Uint8Array {
  const app0 = [0xff, 0xe0, ...u16be(16), ...ascii("JFIF"), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  // A Huffman table segment: its marker C4 lies in the frame range but is not a frame.
  const dht = [0xff, 0xc4, ...u16be(5), 0, 0, 0];
  const frame = [
    0xff,
    frameMarker,
    ...u16be(17),
    8,
    ...u16be(height),
    ...u16be(width),
    3,
    ...Array(9).fill(0),
  ];
  return bytes([0xff, 0xd8], app0, dht, [0xff], frame, [0xff, 0xda, 0, 2], [0xff, 0xd9]);
}

function gif(width: number, height: number): Uint8Array {
  return bytes(ascii("GIF89a"), u16le(width), u16le(height), [0, 0, 0], ascii(";"));
}

function webp(chunk: string, payload: number[]): Uint8Array {
  return bytes(
    ascii("RIFF"),
    u32le(4 + 8 + payload.length),
    ascii("WEBP"),
    ascii(chunk),
    u32le(payload.length),
    payload,
  );
}

const webpLossy = (width: number, height: number) =>
  webp("VP8 ", [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...u16le(width), ...u16le(height), 0, 0]);

function webpLossless(width: number, height: number): number[] {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  return [0x2f, ...u32le(bits >>> 0)];
}

const webpExtended = (width: number, height: number) =>
  webp("VP8X", [0x10, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]);

function bmp(width: number, height: number): Uint8Array {
  const dib = [
    ...u32le(40),
    ...u32le(width >>> 0),
    ...u32le(height >>> 0),
    ...u16le(1),
    ...u16le(24),
    ...Array(24).fill(0),
  ];
  return bytes(ascii("BM"), u32le(14 + dib.length), [0, 0, 0, 0], u32le(54), dib);
}

const bmpCore = (width: number, height: number) =>
  bytes(
    ascii("BM"),
    u32le(26),
    [0, 0, 0, 0],
    u32le(26),
    u32le(12),
    u16le(width),
    u16le(height),
    u16le(1),
    u16le(24),
  );

describe("readImageInfo", () => {
  it.each([
    ["PNG", png(640, 480), "image/png", 640, 480],
    ["JPEG (baseline)", jpeg(1024, 768), "image/jpeg", 1024, 768],
    ["JPEG (progressive)", jpeg(300, 200, 0xc2), "image/jpeg", 300, 200],
    ["GIF", gif(16, 9), "image/gif", 16, 9],
    ["WebP lossy", webpLossy(550, 368), "image/webp", 550, 368],
    ["WebP lossless", webp("VP8L", webpLossless(4000, 3000)), "image/webp", 4000, 3000],
    ["WebP extended", webpExtended(16384, 9000), "image/webp", 16384, 9000],
    ["BMP", bmp(800, 600), "image/bmp", 800, 600],
    ["BMP stored top-down", bmp(800, -600), "image/bmp", 800, 600],
    ["BMP with an OS/2 header", bmpCore(32, 64), "image/bmp", 32, 64],
  ])("reads %s", (_, data, contentType, width, height) => {
    const info = readImageInfo(data);
    expect(info).toMatchObject({ contentType, width, height });
  });

  it("reads a JPEG with fill bytes before a marker", () => {
    const data = bytes([0xff, 0xd8], [0xff, 0xff, 0xff, 0xc0, ...u16be(17), 8, ...u16be(10), ...u16be(20)]);
    expect(readImageInfo(data)).toMatchObject({ format: "JPEG", width: 20, height: 10 });
  });

  it("reads bytes that are a view into a larger buffer", () => {
    const padded = new Uint8Array(100);
    const image = png(3, 5);
    padded.set(image, 7);
    expect(readImageInfo(padded.subarray(7, 7 + image.length))).toMatchObject({ width: 3, height: 5 });
  });

  it("recognises a format whose header is cut short, without a size", () => {
    expect(readImageInfo(png(1, 1).subarray(0, 18))).toEqual({
      format: "PNG",
      contentType: "image/png",
      width: null,
      height: null,
    });
    expect(readImageInfo(jpeg(10, 10).subarray(0, 30))).toMatchObject({ format: "JPEG", width: null });
    expect(readImageInfo(bytes([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toMatchObject({
      format: "JPEG",
      width: null,
    });
  });

  it.each([
    ["empty bytes", new Uint8Array()],
    ["text", new TextEncoder().encode("Just some text, not a picture.")],
    ["text starting with BM", new TextEncoder().encode("BMW makes cars and motorbikes.")],
    ["a WAV file (RIFF, not WEBP)", bytes(ascii("RIFF"), u32le(36), ascii("WAVEfmt "), Array(20).fill(0))],
    ["half a PNG signature", bytes([0x89, 0x50, 0x4e, 0x47])],
    ["a PDF", new TextEncoder().encode("%PDF-1.4\n%%EOF\n")],
    ["a ZIP", bytes(ascii("PK"), [3, 4], Array(26).fill(0))],
  ])("returns null for %s", (_, data) => {
    expect(readImageInfo(data)).toBeNull();
  });
});

describe("describeImage", () => {
  it("describes format, size in pixels, size in bytes and name", () => {
    const data = new Uint8Array(12_595);
    data.set(png(640, 480));
    expect(describeImage(data, "image/png", "cat.png")).toBe(
      'An image (PNG, 640×480 pixels, 12.3 KB, named "cat.png"). The simulator describes images from their ' +
        "metadata; configure a vision model for a description of the content.",
    );
  });

  it("says when the pixel size cannot be read", () => {
    expect(describeImage(bytes([0xff, 0xd8, 0xff, 0xd9]), "image/jpeg", "x.jpg")).toContain(
      '(JPEG, pixel size unreadable, 4 bytes, named "x.jpg")',
    );
  });

  it("mentions a declared image type that the bytes contradict", () => {
    expect(describeImage(gif(2, 2), "image/png", "fake.png")).toContain(
      '(GIF, 2×2 pixels, 14 bytes, named "fake.png", sent as image/png)',
    );
    expect(describeImage(gif(2, 2), "application/octet-stream", "a")).not.toContain("sent as");
  });

  it("quotes names safely", () => {
    expect(describeImage(gif(1, 1), "image/gif", 'say "hi".gif')).toContain('named "say \\"hi\\".gif"');
  });

  it("returns null for bytes that are not a recognised image", () => {
    expect(describeImage(new TextEncoder().encode("<svg xmlns='…'/>"), "image/svg+xml", "a.svg")).toBeNull();
    expect(describeImage(new Uint8Array([1, 2, 3]), "image/png", "a.png")).toBeNull();
  });
});

describe("formatByteSize", () => {
  it("uses bytes, KB and MB", () => {
    expect(formatByteSize(0)).toBe("0 bytes");
    expect(formatByteSize(1)).toBe("1 byte");
    expect(formatByteSize(1023)).toBe("1023 bytes");
    expect(formatByteSize(1024)).toBe("1.0 KB");
    expect(formatByteSize(5 * 1024 * 1024 + 300_000)).toBe("5.3 MB");
  });
});
