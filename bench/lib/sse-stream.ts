import { randomInt, seededRandom } from "./random.js";

/** A generated event stream, with what a correct decoder must find in it. */
export interface GeneratedStream {
  bytes: Uint8Array;
  /** Events a decoder dispatches (comments are not events). */
  events: number;
  /** The total length of their `data` (UTF-16 code units, as a decoder's strings count it). */
  dataChars: number;
}

// Words a model might write: ASCII, accented letters, CJK, emoji (4 UTF-8 bytes, split across chunks
// often), and characters JSON escapes.
const WORDS = [
  "the",
  "bot",
  "answer",
  "streams",
  "café",
  "naïve",
  "日本語",
  "über",
  "😀",
  "→",
  '"quoted"',
  "back\\slash",
  "line\nbreak",
  "tab\t",
  "<b>bold</b>",
  "`code`",
  "1234",
];

/**
 * A bot response as poekit and fastapi_poe write it (CRLF line endings, one `data:` line of JSON per
 * event), about `size` bytes long and the same for the same seed: a `meta` event, text events of 1 to
 * 12 words, now and then a `replace_response`, a `suggested_reply`, a `data` event or a `: ping`
 * comment, and `done` at the end.
 * @example
 * const { bytes, events } = generateSseStream({ seed: 7, size: 1024 * 1024 });
 */
export function generateSseStream(options: { seed: number; size: number }): GeneratedStream {
  const random = seededRandom(options.seed);
  const bytes = new Uint8Array(options.size + 64 * 1024);
  const encoder = new TextEncoder();
  let written = 0;
  let events = 0;
  let dataChars = 0;
  let batch = "";

  const flush = () => {
    written += encoder.encodeInto(batch, bytes.subarray(written)).written;
    batch = "";
  };
  const add = (event: string, data: string) => {
    batch += `event: ${event}\r\ndata: ${data}\r\n\r\n`;
    events++;
    dataChars += data.length;
  };

  add("meta", JSON.stringify({ content_type: "text/markdown", suggested_replies: false }));
  // A UTF-16 code unit takes at most 3 bytes of UTF-8, so `3 × batch.length` bounds what is pending.
  while (written + batch.length * 3 < options.size) {
    const kind = random();
    if (kind < 0.002) {
      batch += ": ping\r\n\r\n";
    } else if (kind < 0.004) {
      add("data", JSON.stringify({ metadata: JSON.stringify({ turn: randomInt(random, 0, 1e6) }) }));
    } else if (kind < 0.006) {
      add("suggested_reply", JSON.stringify({ text: words(random, 3) }));
    } else if (kind < 0.008) {
      add("replace_response", JSON.stringify({ text: words(random, 6) }));
    } else {
      add("text", JSON.stringify({ text: words(random, randomInt(random, 1, 12)) }));
    }
    if (batch.length > 16 * 1024 || written + batch.length * 3 >= options.size) flush();
  }
  add("done", "{}");
  flush();
  return { bytes: bytes.subarray(0, written), events, dataChars };
}

function words(random: () => number, count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += `${WORDS[randomInt(random, 0, WORDS.length - 1)]} `;
  return text;
}

/**
 * Cuts `bytes` into views of random sizes between `minBytes` and `maxBytes`, spread evenly on a log
 * scale (as many chunks of 1–16 bytes as of 4–64 KiB), so a decoder meets both characters and line
 * endings split across chunks and whole socket reads. Nothing is copied.
 * @example
 * const chunks = randomChunks(bytes, { seed: 7, minBytes: 1, maxBytes: 65536 });
 */
export function randomChunks(
  bytes: Uint8Array,
  options: { seed: number; minBytes: number; maxBytes: number },
): Uint8Array[] {
  const random = seededRandom(options.seed);
  const logMin = Math.log(options.minBytes);
  const logSpan = Math.log(options.maxBytes + 1) - logMin;
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; ) {
    const size = Math.min(options.maxBytes, Math.floor(Math.exp(logMin + random() * logSpan)));
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}
