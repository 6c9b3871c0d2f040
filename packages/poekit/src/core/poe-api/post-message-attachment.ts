/**
 * Attaching a file to the bot's own response: upload it to Poe's file API, then queue a `file` event
 * that the server writes before the bot's next item (or at the end of the response).
 */

import type { Attachment } from "../../protocol/attachment.js";
import { MAX_OUTPUT_FILE_BYTES, MAX_OUTPUT_FILES_PER_MESSAGE } from "../../protocol/limits.js";
import type { FileEventData } from "../../protocol/response-events.js";
import { InvalidParameterError } from "../errors.js";
import { knownSize, nonEmpty, ownFileName, type UploadFileInput, urlFileName } from "./file-input.js";
import type { FetchLike } from "./transport.js";
import { uploadFile } from "./upload-file.js";

/**
 * Options of `PoeBot.postMessageAttachment`. Give exactly one of `fileData` and `downloadUrl`.
 * @example
 * const options: PostMessageAttachmentOptions = {
 *   messageId: request.message_id,
 *   downloadUrl: "https://example.com/a.png",
 * };
 */
export interface PostMessageAttachmentOptions {
  /** The message being answered: `request.message_id` in `getResponse`. */
  messageId: string;
  /** The file's content: bytes, a Blob or File, or a stream (read to the end, at most 50 MB). */
  fileData?: UploadFileInput | null;
  /** The file's name; required for bytes and streams without a name of their own. */
  filename?: string | null;
  /** A public URL Poe downloads the file from itself. */
  downloadUrl?: string | URL | null;
  /** The name for a downloaded file; default the last segment of `downloadUrl`'s path. */
  downloadFilename?: string | null;
  /**
   * Show the file inside the text rather than below it: the result's `inline_ref` (generated here) is
   * what the Markdown refers to, as in `![chart][<inline_ref>]`.
   */
  isInline?: boolean;
  /** The MIME type to send `fileData` with; default the Blob's own, else Poe guesses. */
  contentType?: string | null;
  /** The key to upload with; default the bot's access key. */
  accessKey?: string | null;
  /** The file API base; default `$POE_API_BASE_URL/poe_api/`, else Poe's. */
  baseUrl?: string | null;
  /** The `fetch` to call; default the global one (or the `poekit/testing` stand-in). */
  fetch?: FetchLike;
  /** Cancels the upload; pass `context.signal` to stop when the response is cut short. */
  signal?: AbortSignal;
}

/**
 * What `postMessageAttachment` returns: where Poe hosts the file, its type, and the name and
 * `inline_ref` it was attached with.
 * @example
 * const { inline_ref } = await this.postMessageAttachment({ messageId, fileData, filename, isInline: true });
 * yield `Here it is: ![chart][${inline_ref}]`;
 */
export interface AttachmentUploadResponse {
  attachment_url: string;
  mime_type: string;
  /** The reference for inline files, else `null`. */
  inline_ref: string | null;
  name: string;
}

/**
 * What `postMessageAttachment` needs from the bot: its key, its file-event queue, and its count of
 * files posted per message.
 * @internal
 * @example
 * const poster: AttachmentPoster = {
 *   accessKey,
 *   queueFileEvent: (id, file) => queue.push(file),
 *   postedFiles: new Map(),
 * };
 */
export interface AttachmentPoster {
  readonly accessKey: string | null;
  queueFileEvent(messageId: string, file: FileEventData): void;
  /**
   * Files posted (or being posted) per message id, for the messages being answered right now: an id
   * is added (with 0) when its response starts and dropped when it ends.
   */
  readonly postedFiles: Map<string, number>;
}

const INLINE_REF_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const INLINE_REF_LENGTH = 8;

/**
 * The logic behind `PoeBot.postMessageAttachment`: checks the options and Poe's limits (20 files per
 * message, 50 MB each) before uploading, uploads with `uploadFile`, and queues the `file` event.
 * @example
 * // Inside a PoeBot; prefer this.postMessageAttachment(options).
 * await postMessageAttachment(poster, { messageId: request.message_id, fileData: bytes, filename: "a.txt" });
 */
export async function postMessageAttachment(
  poster: AttachmentPoster,
  options: PostMessageAttachmentOptions,
): Promise<AttachmentUploadResponse> {
  const { messageId } = options;
  if (typeof messageId !== "string" || messageId === "") {
    throw new InvalidParameterError(
      "postMessageAttachment needs `messageId`: the id of the message being answered (request.message_id).",
    );
  }
  const key = nonEmpty(options.accessKey) ?? nonEmpty(poster.accessKey);
  if (key === undefined) {
    throw new InvalidParameterError(
      "postMessageAttachment needs an access key to upload with: set the bot's accessKey or pass accessKey.",
    );
  }
  const fileData = options.fileData ?? undefined;
  const downloadUrl = options.downloadUrl ? String(options.downloadUrl) : undefined;
  if (fileData !== undefined && downloadUrl !== undefined) {
    throw new InvalidParameterError(
      "postMessageAttachment takes either `fileData` or `downloadUrl`, not both.",
    );
  }
  if (fileData === undefined && downloadUrl === undefined) {
    throw new InvalidParameterError(
      "postMessageAttachment needs `fileData` (the file's content) or `downloadUrl` (for Poe to download).",
    );
  }
  const givenName = nonEmpty(options.filename) ?? nonEmpty(options.downloadFilename);
  const name =
    givenName ??
    (fileData !== undefined ? ownFileName(fileData) : undefined) ??
    (downloadUrl !== undefined ? urlFileName(downloadUrl) : undefined);
  if (name === undefined) {
    throw new InvalidParameterError(
      fileData !== undefined
        ? "postMessageAttachment needs a `filename` for this fileData: bytes and streams do not carry a name."
        : "postMessageAttachment needs a `downloadFilename`: the download URL's path does not end in a " +
            "file name.",
    );
  }
  const size = knownSize(fileData);
  if (size !== undefined && size > MAX_OUTPUT_FILE_BYTES) {
    throw new InvalidParameterError(
      `${name} is ${size} bytes; Poe accepts files of at most 50 MB (${MAX_OUTPUT_FILE_BYTES} bytes).`,
    );
  }
  const posted = poster.postedFiles.get(messageId);
  if (posted === undefined) {
    // A file event queued now could never be sent: no response to this message is being written.
    throw new InvalidParameterError(
      `Cannot attach ${name}: message ${messageId} is not being answered. Call postMessageAttachment from getResponse, with request.message_id, before the response ends.`,
    );
  }
  if (posted >= MAX_OUTPUT_FILES_PER_MESSAGE) {
    throw new InvalidParameterError(
      `Cannot attach ${name}: a message may have at most ${MAX_OUTPUT_FILES_PER_MESSAGE} files, and ` +
        `message ${messageId} already has ${posted}.`,
    );
  }

  // The slot is taken before the upload, so files posted at the same time are counted too.
  poster.postedFiles.set(messageId, posted + 1);
  let attachment: Attachment;
  try {
    attachment = await uploadFile({
      apiKey: key,
      fileName: fileData !== undefined ? name : givenName,
      baseUrl: options.baseUrl,
      contentType: options.contentType,
      maxBytes: MAX_OUTPUT_FILE_BYTES,
      ...(fileData !== undefined ? { file: fileData } : { fileUrl: downloadUrl }),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    // The slot is given back; the message stays open (its response is still being written).
    const count = poster.postedFiles.get(messageId);
    if (count !== undefined) poster.postedFiles.set(messageId, Math.max(0, count - 1));
    throw error;
  }

  const inlineRef = options.isInline ? randomInlineRef() : null;
  // No count means the response ended during the upload: an event queued now would never be sent.
  if (poster.postedFiles.has(messageId)) {
    poster.queueFileEvent(messageId, {
      url: attachment.url,
      content_type: attachment.content_type,
      name,
      inline_ref: inlineRef,
    });
  }
  return { attachment_url: attachment.url, mime_type: attachment.content_type, inline_ref: inlineRef, name };
}

/** Eight random letters and digits, drawn without bias. */
function randomInlineRef(): string {
  const alphabet = INLINE_REF_ALPHABET.length;
  // The largest multiple of the alphabet size that fits in a byte; bytes above it would favour some letters.
  const limit = 256 - (256 % alphabet);
  let ref = "";
  const bytes = new Uint8Array(INLINE_REF_LENGTH * 2);
  while (ref.length < INLINE_REF_LENGTH) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < limit && ref.length < INLINE_REF_LENGTH) ref += INLINE_REF_ALPHABET[byte % alphabet];
    }
  }
  return ref;
}
