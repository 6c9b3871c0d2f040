/**
 * A tiny PNG encoder for true-colour images, on web-standard APIs only (CompressionStream), so the bot
 * draws its image without a dependency and runs wherever poekit does.
 */

/** An RGB colour, each channel 0–255. */
export type Rgb = readonly [red: number, green: number, blue: number];

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BIT_DEPTH = 8;
const TRUE_COLOUR = 2;

/**
 * A PNG of `width` × `height` pixels, each the colour `pixel(x, y)` gives.
 * @example
 * const png = await encodePng(2, 2, (x, y) => ((x + y) % 2 ? [0, 0, 0] : [255, 255, 255]));
 */
export async function encodePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => Rgb,
): Promise<Uint8Array> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`A PNG needs a whole width and height of at least 1, got ${width} × ${height}.`);
  }
  // Each row starts with its filter type, 0 (none): the bytes follow as they are.
  const rowBytes = 1 + width * 3;
  const raw = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * rowBytes + 1 + x * 3);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([BIT_DEPTH, TRUE_COLOUR, 0, 0, 0], 8);
  return concat([
    new Uint8Array(SIGNATURE),
    chunk("IHDR", header),
    chunk("IDAT", await zlibDeflate(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/**
 * The CRC-32 PNG chunks end with (the same as zlib's and gzip's).
 * @example
 * crc32(new TextEncoder().encode("IEND")); // 0xae426082
 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Length, type, data, then the CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concat([new TextEncoder().encode(type), data]);
  const out = new Uint8Array(8 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typed, 4);
  view.setUint32(4 + typed.length, crc32(typed));
  return out;
}

/** PNG's image data is a zlib stream, which is what CompressionStream calls "deflate". */
async function zlibDeflate(bytes: Uint8Array): Promise<Uint8Array> {
  const compressed = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
