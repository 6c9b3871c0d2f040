/**
 * The MIME type the simulator records for a file. Browsers and bots often declare nothing useful
 * (an empty type, or `application/octet-stream` for `.md` and `.csv` files), so the file name's
 * extension fills in when the declared type says nothing.
 */

/** The type used when neither the declaration nor the extension tells anything. */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

/** Extension (lower case, no dot) → MIME type, for the kinds of files users attach to chats. */
const TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  html: "text/html",
  htm: "text/html",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  svg: "image/svg+xml",
  mp3: "audio/mpeg",
  mp4: "video/mp4",
  zip: "application/zip",
};

/**
 * Non-standard spellings that clients really send, mapped to the registered type, so that code
 * downstream compares against one spelling only.
 */
const ALIASES: Readonly<Record<string, string>> = {
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "image/x-png": "image/png",
  "image/x-ms-bmp": "image/bmp",
  "image/x-bmp": "image/bmp",
  "text/x-markdown": "text/markdown",
  "application/x-pdf": "application/pdf",
  "application/x-zip-compressed": "application/zip",
  "audio/mp3": "audio/mpeg",
};

// RFC 6838 restricted names: what a type and a subtype may be made of.
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/**
 * The lower-case extension of a file name, without the dot, or `""` when there is none.
 * A leading dot alone (`.env`) names a hidden file rather than an extension.
 */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

/**
 * A declared MIME type in canonical form (lower case, parameters such as `charset` dropped, known
 * aliases resolved), or null when it is missing or not shaped like a MIME type.
 */
export function normaliseContentType(declared: string | null | undefined): string | null {
  if (!declared) return null;
  const essence = declared.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  if (!MIME_TYPE.test(essence)) return null;
  return ALIASES[essence] ?? essence;
}

/**
 * The normalised MIME type of a file: the declared one when it is specific, otherwise the one its
 * extension implies, otherwise `application/octet-stream`. Used for attachments and uploads alike.
 *
 * @example contentTypeFor("notes.md", "application/octet-stream") // "text/markdown"
 * @example contentTypeFor("photo", "Image/JPG") // "image/jpeg"
 */
export function contentTypeFor(name: string, declared?: string): string {
  const normalised = normaliseContentType(declared);
  // octet-stream means "some bytes": it is what clients send when they do not know, so it must not
  // hide what the extension says.
  if (normalised && normalised !== DEFAULT_CONTENT_TYPE) return normalised;
  return TYPE_BY_EXTENSION[extensionOf(name)] ?? DEFAULT_CONTENT_TYPE;
}
