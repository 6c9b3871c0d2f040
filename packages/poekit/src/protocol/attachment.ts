import * as z from "zod/mini";
import { looseObjectWithDefaults } from "./schema-helpers.js";

/**
 * A file attached to a message: by the user (with `parsed_content` when Poe parsed it) or by a bot.
 * @example
 * const pdf: Attachment = { url: "https://…/a.pdf", content_type: "application/pdf", name: "a.pdf",
 *   inline_ref: null, parsed_content: null };
 */
export const AttachmentSchema = looseObjectWithDefaults(
  {
    url: z.string(),
    content_type: z.string(),
    name: z.string(),
    /** Set for inline files, referenced in Markdown as `![title][inline_ref]`. */
    inline_ref: z.nullish(z.string()),
    /** Text Poe extracted (text files, PDFs) or an image description as `"<filename>***<description>"`. */
    parsed_content: z.nullish(z.string()),
  },
  { inline_ref: () => null, parsed_content: () => null },
);
export type Attachment = z.output<typeof AttachmentSchema>;
