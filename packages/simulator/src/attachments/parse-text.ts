/**
 * Text attachments as Poe parses them when a bot has `expand_text_attachments` on: the file's text,
 * ready for the bot to put in a prompt.
 */
import { contentTypeFor } from "./content-type.js";
import { htmlToText } from "./html-text.js";
import { prettyPrintJson } from "./json-text.js";
import { extractPdfText } from "./pdf-text.js";

/** How many characters of parsed text are kept by default (see {@link ParseTextOptions}). */
export const DEFAULT_MAX_PARSED_CHARACTERS = 1_000_000;

/** Options of {@link parseTextAttachment}. */
export interface ParseTextOptions {
  /**
   * Longest parsed text kept, in UTF-16 code units (default {@link DEFAULT_MAX_PARSED_CHARACTERS}).
   * Longer text is cut there and a note saying so is appended.
   */
  maxCharacters?: number;
}

/** How a kind of file is turned into text. */
export type TextKind = "plain" | "json" | "html" | "pdf";

/**
 * How a file of this type is parsed, or null when it is not a text kind. The type is normalised
 * first, so an empty or `application/octet-stream` type falls back to the name's extension.
 * Every `text/*` type other than HTML is read as plain text: source code, XML, YAML and the like
 * arrive with many different `text/` types, and all of them are worth giving to a bot as they are.
 */
export function textKindOf(contentType: string, name: string): TextKind | null {
  const type = contentTypeFor(name, contentType);
  if (type === "text/html") return "html";
  if (type === "application/json") return "json";
  if (type === "application/pdf") return "pdf";
  if (type.startsWith("text/")) return "plain";
  return null;
}

/**
 * The text of an attached file, or null when its type is not one that is parsed (images, audio,
 * video, archives…) or it is a PDF that cannot be read. Plain text, Markdown and CSV come back as
 * written; JSON pretty-printed when valid; HTML as its visible text; PDF as the text of every page.
 * Bytes that are not valid UTF-8 are decoded with U+FFFD in their place. Text longer than the
 * maximum is cut, with a note saying how much there was.
 */
export async function parseTextAttachment(
  bytes: Uint8Array,
  contentType: string,
  name: string,
  options: ParseTextOptions = {},
): Promise<string | null> {
  const kind = textKindOf(contentType, name);
  let text: string | null;
  switch (kind) {
    case null:
      return null;
    case "pdf":
      text = await extractPdfText(bytes);
      break;
    case "html":
      text = htmlToText(decodeText(bytes));
      break;
    case "json":
      text = prettyPrintJson(decodeText(bytes));
      break;
    case "plain":
      text = decodeText(bytes);
      break;
  }
  return text === null ? null : capText(text, options.maxCharacters ?? DEFAULT_MAX_PARSED_CHARACTERS);
}

/**
 * Bytes as text: UTF-8 unless a byte order mark says UTF-16 (what Windows tools write when saving
 * "Unicode" text). The mark itself is dropped, and malformed sequences become U+FFFD rather than
 * failing, so a file with one bad byte is still readable.
 */
export function decodeText(bytes: Uint8Array): string {
  const [first, second] = bytes;
  const encoding =
    first === 0xff && second === 0xfe ? "utf-16le" : first === 0xfe && second === 0xff ? "utf-16be" : "utf-8";
  return new TextDecoder(encoding).decode(bytes);
}

/**
 * `text` cut to at most `maxCharacters` code units, followed by a note that it was cut, or `text`
 * itself when it fits. The cut never splits a surrogate pair, so no half character is left behind.
 */
export function capText(text: string, maxCharacters: number): string {
  if (text.length <= maxCharacters) return text;
  let end = Math.max(0, Math.floor(maxCharacters));
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  const kept = end.toLocaleString("en-US");
  const total = text.length.toLocaleString("en-US");
  return `${text.slice(0, end)}\n\n[The text was cut here: only the first ${kept} of its ${total} characters are included.]`;
}
