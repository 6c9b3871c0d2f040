/**
 * Image descriptions without a vision model: the format and pixel size are read from the file's
 * header bytes, which is enough for a bot developer to see that `enable_image_comprehension` works
 * and what Poe's `parsed_content` for an image looks like.
 */
import { normaliseContentType } from "./content-type.js";

/** A raster format {@link readImageInfo} recognises. */
export type ImageFormat = "PNG" | "JPEG" | "GIF" | "WebP" | "BMP";

/** What the header of an image file says. */
export interface ImageInfo {
  format: ImageFormat;
  /** The registered MIME type of that format. */
  contentType: string;
  /** Pixel width, or null when the header is cut short before it. */
  width: number | null;
  /** Pixel height, or null when the header is cut short before it. */
  height: number | null;
}

const MIME_BY_FORMAT: Readonly<Record<ImageFormat, string>> = {
  PNG: "image/png",
  JPEG: "image/jpeg",
  GIF: "image/gif",
  WebP: "image/webp",
  BMP: "image/bmp",
};

/**
 * A description of the image in `bytes`, such as
 * `An image (PNG, 640×480 pixels, 12.3 KB, named "cat.png"). The simulator describes images from
 * their metadata; configure a vision model for a description of the content.`,
 * or null when the bytes are not an image in a format it recognises (see {@link ImageFormat}).
 * The bytes decide the format; a declared `contentType` that disagrees is mentioned, since a bot may
 * trust the declared type.
 */
export function describeImage(bytes: Uint8Array, contentType: string, name: string): string | null {
  const info = readImageInfo(bytes);
  if (!info) return null;
  const facts: string[] = [info.format];
  facts.push(
    info.width !== null && info.height !== null
      ? `${info.width}×${info.height} pixels`
      : "pixel size unreadable",
  );
  facts.push(formatByteSize(bytes.length));
  facts.push(`named ${JSON.stringify(name)}`);
  const declared = normaliseContentType(contentType);
  if (declared?.startsWith("image/") && declared !== info.contentType) facts.push(`sent as ${declared}`);
  return (
    `An image (${facts.join(", ")}). The simulator describes images from their metadata; ` +
    "configure a vision model for a description of the content."
  );
}

/** The format and pixel size of an image from its first bytes, or null when it is not one. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | null {
  const found = readPng(bytes) ?? readJpeg(bytes) ?? readGif(bytes) ?? readWebp(bytes) ?? readBmp(bytes);
  if (!found) return null;
  return { ...found, contentType: MIME_BY_FORMAT[found.format] };
}

/** A size in bytes for people: `812 bytes`, `12.3 KB`, `4.0 MB` (powers of 1,024). */
export function formatByteSize(size: number): string {
  if (size < 1024) return size === 1 ? "1 byte" : `${size} bytes`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

type Found = Omit<ImageInfo, "contentType">;

/** Whether `bytes` holds exactly `expected` starting at `offset`. */
function hasBytes(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  if (offset + expected.length > bytes.length) return false;
  return expected.every((byte, i) => bytes[offset + i] === byte);
}

function hasAscii(bytes: Uint8Array, offset: number, text: string): boolean {
  return hasBytes(
    bytes,
    offset,
    [...text].map((char) => char.charCodeAt(0)),
  );
}

/** Readers for fixed-width integers; they return null past the end instead of a wrong number. */
const u16be = (b: Uint8Array, o: number) =>
  o + 2 <= b.length ? ((b[o] as number) << 8) | (b[o + 1] as number) : null;
const u16le = (b: Uint8Array, o: number) =>
  o + 2 <= b.length ? (b[o] as number) | ((b[o + 1] as number) << 8) : null;
const u24le = (b: Uint8Array, o: number) =>
  o + 3 <= b.length ? (b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) : null;
const u32be = (b: Uint8Array, o: number) =>
  o + 4 <= b.length ? new DataView(b.buffer, b.byteOffset + o, 4).getUint32(0, false) : null;
const i32le = (b: Uint8Array, o: number) =>
  o + 4 <= b.length ? new DataView(b.buffer, b.byteOffset + o, 4).getInt32(0, true) : null;
const u32le = (b: Uint8Array, o: number) =>
  o + 4 <= b.length ? new DataView(b.buffer, b.byteOffset + o, 4).getUint32(0, true) : null;

/** PNG: the 8-byte signature, then the IHDR chunk, which must come first, holding width and height. */
function readPng(bytes: Uint8Array): Found | null {
  if (!hasBytes(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return null;
  if (!hasAscii(bytes, 12, "IHDR")) return { format: "PNG", width: null, height: null };
  return { format: "PNG", width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

/**
 * JPEG: segments follow the start-of-image marker; the first start-of-frame segment (SOF0–SOF15,
 * except DHT, JPG and DAC, which share the marker range) holds height then width. Segments before it
 * (EXIF, ICC profiles, tables) are skipped by their length.
 */
function readJpeg(bytes: Uint8Array): Found | null {
  if (!hasBytes(bytes, 0, [0xff, 0xd8, 0xff])) return null;
  const unreadable: Found = { format: "JPEG", width: null, height: null };
  let offset = 2;
  while (offset < bytes.length) {
    if (bytes[offset] !== 0xff) return unreadable;
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[offset] === 0xff) offset++;
    const marker = bytes[offset];
    offset++;
    if (marker === undefined) return unreadable;
    // Markers that stand alone, without a length: TEM, the restart markers and SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    // End of image, or start of scan (compressed data follows) before any frame header.
    if (marker === 0xd9 || marker === 0xda) return unreadable;
    const length = u16be(bytes, offset);
    if (length === null || length < 2) return unreadable;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      // Segment: length (2), sample precision (1), height (2), width (2).
      const height = u16be(bytes, offset + 3);
      const width = u16be(bytes, offset + 5);
      // A height of 0 means "given later by a DNL marker"; rare enough to call unreadable.
      return { format: "JPEG", width, height: height === 0 ? null : height };
    }
    offset += length;
  }
  return unreadable;
}

/** GIF: signature and version, then the logical screen's width and height. */
function readGif(bytes: Uint8Array): Found | null {
  if (!hasAscii(bytes, 0, "GIF87a") && !hasAscii(bytes, 0, "GIF89a")) return null;
  return { format: "GIF", width: u16le(bytes, 6), height: u16le(bytes, 8) };
}

/**
 * WebP: a RIFF container whose first chunk is `VP8 ` (lossy), `VP8L` (lossless) or `VP8X`
 * (extended: the canvas size covers animation and alpha variants).
 */
function readWebp(bytes: Uint8Array): Found | null {
  if (!hasAscii(bytes, 0, "RIFF") || !hasAscii(bytes, 8, "WEBP")) return null;
  const unreadable: Found = { format: "WebP", width: null, height: null };
  const data = 20; // after the 4-byte chunk name and 4-byte chunk size at offset 12
  if (hasAscii(bytes, 12, "VP8 ")) {
    // A 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height (2 bits of scale).
    if (!hasBytes(bytes, data + 3, [0x9d, 0x01, 0x2a])) return unreadable;
    const width = u16le(bytes, data + 6);
    const height = u16le(bytes, data + 8);
    if (width === null || height === null) return unreadable;
    return { format: "WebP", width: width & 0x3fff, height: height & 0x3fff };
  }
  if (hasAscii(bytes, 12, "VP8L")) {
    // The signature byte 0x2F, then width − 1 and height − 1 packed as two 14-bit fields.
    const bits = bytes[data] === 0x2f ? u32le(bytes, data + 1) : null;
    if (bits === null) return unreadable;
    return { format: "WebP", width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (hasAscii(bytes, 12, "VP8X")) {
    // Flags (1 byte) and reserved (3), then canvas width − 1 and height − 1 as 24-bit numbers.
    const width = u24le(bytes, data + 4);
    const height = u24le(bytes, data + 7);
    if (width === null || height === null) return unreadable;
    return { format: "WebP", width: width + 1, height: height + 1 };
  }
  return unreadable;
}

/**
 * BMP: the `BM` file header, then a DIB header whose size tells its version. The old OS/2 core
 * header stores 16-bit sizes; every later one 32-bit signed sizes, a negative height meaning the
 * rows are stored top-down.
 */
function readBmp(bytes: Uint8Array): Found | null {
  // "BM" alone is too common a start for text (and a file too short for a DIB header holds no image);
  // a known DIB header size is what makes it a bitmap.
  if (!hasAscii(bytes, 0, "BM")) return null;
  const headerSize = u32le(bytes, 14);
  if (headerSize === null) return null;
  if (headerSize === 12) return { format: "BMP", width: u16le(bytes, 18), height: u16le(bytes, 20) };
  if (![16, 40, 52, 56, 64, 108, 124].includes(headerSize)) return null;
  const width = i32le(bytes, 18);
  const height = i32le(bytes, 22);
  return {
    format: "BMP",
    width: width === null ? null : Math.abs(width),
    height: height === null ? null : Math.abs(height),
  };
}
