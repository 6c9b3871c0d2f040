/**
 * The one entry point for an attachment's `parsed_content`: what Poe fills in, according to the
 * receiving bot's settings, before the file reaches the bot in a `QueryRequest`.
 */
import { contentTypeFor } from "./content-type.js";
import { describeImage, readImageInfo } from "./describe-image.js";
import { parseTextAttachment } from "./parse-text.js";

/** A file a user attached, as stored by the simulator. */
export interface AttachmentFile {
  bytes: Uint8Array;
  /** The declared MIME type; may be empty or generic, the name's extension fills in. */
  contentType: string;
  name: string;
}

/** The bot settings that decide what is parsed (both already resolved to Poe's defaults). */
export interface AttachmentSettings {
  /** `expand_text_attachments`: parse text, HTML, JSON and PDF files. */
  expandTextAttachments: boolean;
  /** `enable_image_comprehension`: describe images. */
  enableImageComprehension: boolean;
}

/**
 * Describes an image with a vision model, or resolves null when it has nothing to say. The file's
 * `contentType` is the normalised one.
 */
export type DescribeImageWithModel = (file: AttachmentFile) => Promise<string | null>;

/** Options of {@link parsedContentFor}. */
export interface ParsedContentOptions {
  /**
   * A vision model for images. It is asked first; when it throws, rejects or has no answer, the
   * description read from the image's metadata is used instead.
   */
  describeImageWithModel?: DescribeImageWithModel;
  /** Told why the vision model failed, for logging; the failure itself is not passed on. */
  onModelError?: (error: unknown) => void;
  /** Longest parsed text kept (see `parseTextAttachment`); default 1,000,000 characters. */
  maxTextCharacters?: number;
}

/**
 * What goes in the attachment's `parsed_content`, or null for none:
 * - images (an `image/*` type, or bytes that are a recognised image) only when
 *   `enableImageComprehension` is on, as `"<name>***<description>"`;
 * - text, Markdown, CSV, JSON, HTML and PDF files only when `expandTextAttachments` is on, as their
 *   text;
 * - nothing for other files (audio, video, archives…), and nothing when parsing gives only
 *   whitespace, since Poe's prompt helpers skip empty content anyway.
 */
export async function parsedContentFor(
  file: AttachmentFile,
  settings: AttachmentSettings,
  options: ParsedContentOptions = {},
): Promise<string | null> {
  const contentType = contentTypeFor(file.name, file.contentType);
  const normalised: AttachmentFile = { ...file, contentType };

  // The bytes are checked too: a photo uploaded as `application/octet-stream` without an extension
  // is still an image, and must not be read as text.
  if (contentType.startsWith("image/") || readImageInfo(file.bytes) !== null) {
    if (!settings.enableImageComprehension) return null;
    const description = await describeImageContent(normalised, options);
    return description === null ? null : `${imageNameField(file.name)}***${description}`;
  }

  if (!settings.expandTextAttachments) return null;
  const textOptions =
    options.maxTextCharacters === undefined ? {} : { maxCharacters: options.maxTextCharacters };
  const text = await parseTextAttachment(file.bytes, contentType, file.name, textOptions);
  return text !== null && text.trim() !== "" ? text : null;
}

/** The vision model's description when it gives one, else the metadata description (or null). */
async function describeImageContent(
  file: AttachmentFile,
  options: ParsedContentOptions,
): Promise<string | null> {
  if (options.describeImageWithModel) {
    try {
      const described = (await options.describeImageWithModel(file))?.trim();
      if (described) return described;
    } catch (error) {
      options.onModelError?.(error);
    }
  }
  return describeImage(file.bytes, file.contentType, file.name);
}

/**
 * The name as written before `***`. Bots split image content once on the first `***` to get the
 * file name back, so a name containing `***` would leak part of itself into the description; runs
 * of three or more asterisks are shortened to two.
 */
function imageNameField(name: string): string {
  return name.replace(/\*{3,}/g, "**");
}
