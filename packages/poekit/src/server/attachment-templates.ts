/**
 * Prompt templates that turn the content Poe parsed from a user's attachment into a message for a
 * language model. Each template marks the places where values go with `{placeholder}`; the functions
 * below fill them in.
 */

/**
 * The raw templates, with `{placeholder}` markers. Pass a changed copy as the second argument of
 * {@link textAttachmentPrompt}, {@link urlAttachmentPrompt} or {@link imageAttachmentPrompt} to use
 * your own wording.
 *
 * - `text`: `{attachment_name}`, `{attachment_parsed_content}` — text files and PDFs.
 * - `url`: `{attachment_name}` (the page's URL or name), `{content}` — web pages (`text/html`).
 * - `image`: `{filename}`, `{parsed_image_description}` — images Poe described.
 *
 * @example
 * console.log(ATTACHMENT_TEMPLATES.image);
 * const terse = textAttachmentPrompt(
 *   { attachmentName: "notes.txt", parsedContent: "Buy milk" },
 *   "File {attachment_name}:\n{attachment_parsed_content}",
 * );
 */
export const ATTACHMENT_TEMPLATES = Object.freeze({
  text: [
    "Write your answer in the same language as the questions that refer to this file.",
    "The file {attachment_name} contains the following:",
    "",
    "{attachment_parsed_content}",
  ].join("\n"),
  url: [
    "Take it that the external link {attachment_name} can be opened, and write your answer in the same " +
      "language as the questions that refer to it.",
    "The page at {attachment_name} contains the following:",
    "",
    "{content}",
  ].join("\n"),
  image: [
    "The user has uploaded an image ({filename}). Respond as though you can see it yourself. " +
      "Read this analysis of the image first:",
    "",
    "<image_analysis>",
    "{parsed_image_description}",
    "</image_analysis>",
    "",
    "Draw on whichever parts of the analysis matter for the user's request, never mention the analysis " +
      "itself, and reply in the language the user writes their next message in.",
  ].join("\n"),
} as const);

/** The names of the templates in {@link ATTACHMENT_TEMPLATES}. */
export type AttachmentTemplateName = keyof typeof ATTACHMENT_TEMPLATES;

/**
 * Replaces each `{name}` marker whose name is a key of `values`; other text, including braces that
 * name no value, is left alone. The replacement is done in one pass, so values that themselves contain
 * `{…}` markers are inserted as they are.
 */
function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (marker: string, name: string) =>
    Object.hasOwn(values, name) ? (values[name] ?? marker) : marker,
  );
}

/** Values for {@link textAttachmentPrompt}. */
export interface TextAttachmentValues {
  /** The file's name, as shown to the user. */
  attachmentName: string;
  /** The text Poe extracted from the file. */
  parsedContent: string;
}

/**
 * The prompt for a text file or PDF that Poe has parsed.
 * @param template defaults to `ATTACHMENT_TEMPLATES.text`.
 * @example
 * const prompt = textAttachmentPrompt({ attachmentName: "notes.txt", parsedContent: "Buy milk" });
 * // prompt ends with "notes.txt contains the following:\n\nBuy milk"
 */
export function textAttachmentPrompt(
  values: TextAttachmentValues,
  template: string = ATTACHMENT_TEMPLATES.text,
): string {
  return fillTemplate(template, {
    attachment_name: values.attachmentName,
    attachment_parsed_content: values.parsedContent,
  });
}

/** Values for {@link urlAttachmentPrompt}. */
export interface UrlAttachmentValues {
  /** The page's URL, or the name Poe gave the attachment. */
  attachmentName: string;
  /** The text Poe extracted from the page. */
  content: string;
}

/**
 * The prompt for a web page (`text/html` attachment) that Poe has fetched and parsed.
 * @param template defaults to `ATTACHMENT_TEMPLATES.url`.
 * @example
 * const prompt = urlAttachmentPrompt({ attachmentName: "https://example.com", content: "Example Domain" });
 * // prompt ends with "https://example.com contains the following:\n\nExample Domain"
 */
export function urlAttachmentPrompt(
  values: UrlAttachmentValues,
  template: string = ATTACHMENT_TEMPLATES.url,
): string {
  return fillTemplate(template, { attachment_name: values.attachmentName, content: values.content });
}

/** Values for {@link imageAttachmentPrompt}. */
export interface ImageAttachmentValues {
  /** The image's file name. */
  filename: string;
  /** Poe's description of the image. */
  parsedImageDescription: string;
}

/**
 * The prompt for an image that Poe has described.
 * @param template defaults to `ATTACHMENT_TEMPLATES.image`.
 * @example
 * const prompt = imageAttachmentPrompt({ filename: "cat.png", parsedImageDescription: "A grey cat" });
 * // prompt contains "(cat.png)" and "<image_analysis>\nA grey cat\n</image_analysis>"
 */
export function imageAttachmentPrompt(
  values: ImageAttachmentValues,
  template: string = ATTACHMENT_TEMPLATES.image,
): string {
  return fillTemplate(template, {
    filename: values.filename,
    parsed_image_description: values.parsedImageDescription,
  });
}
