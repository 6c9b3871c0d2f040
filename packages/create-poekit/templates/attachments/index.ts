import { type Attachment, PoeBot, type QueryRequest, type SettingsResponse } from "poekit";

/** How much of each file's text the answer quotes. */
const PREVIEW_LENGTH = 80;

/** Poe sends an image's description as `<file name>***<description>`. */
const IMAGE_NAME_SEPARATOR = "***";

/** Tells the user what it can read in the files attached to their message. */
export class AttachmentsBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    const files = request.query.at(-1)?.attachments ?? [];
    if (files.length === 0) {
      yield "Attach a file (text, PDF or image) and I will tell you what I can read in it.";
      return;
    }
    yield `You attached ${files.length === 1 ? "1 file" : `${files.length} files`}:\n\n`;
    for (const file of files) yield `- ${describeFile(file)}\n`;
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: "Attach a file, and I will tell you what I can read in it.",
      allow_attachments: true,
      // Poe extracts the text of text files and PDFs, and describes images, into parsed_content.
      expand_text_attachments: true,
      enable_image_comprehension: true,
    };
  }
}

/**
 * One line about a file: its name and type, and the size and start of the text Poe extracted from it
 * (for an image, Poe's description of it).
 * @example
 * describeFile({ name: "notes.txt", content_type: "text/plain", parsed_content: "Buy milk", … });
 * // '**notes.txt** (text/plain): 2 words, "Buy milk"'
 */
export function describeFile(file: Attachment): string {
  const heading = `**${file.name}** (${file.content_type})`;
  const text = extractedText(file).trim();
  if (!text) return `${heading}: Poe sent no text for it.`;
  const words = text.split(/\s+/).length;
  const oneLine = text.replace(/\s+/g, " ");
  const preview = oneLine.length > PREVIEW_LENGTH ? `${oneLine.slice(0, PREVIEW_LENGTH)}…` : oneLine;
  return `${heading}: ${words === 1 ? "1 word" : `${words} words`}, "${preview}"`;
}

function extractedText(file: Attachment): string {
  const text = file.parsed_content ?? "";
  const separator = text.indexOf(IMAGE_NAME_SEPARATOR);
  if (!file.content_type.startsWith("image/") || separator === -1) return text;
  return text.slice(separator + IMAGE_NAME_SEPARATOR.length);
}

export default new AttachmentsBot();
