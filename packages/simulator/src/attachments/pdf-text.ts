/**
 * The text of a PDF, page by page, read with unpdf (a build of Mozilla's PDF.js that runs in Node
 * without a worker file or a canvas).
 */
import { extractText, getDocumentProxy } from "unpdf";

/** What separates the text of one page from the next in {@link extractPdfText}'s result. */
export const PDF_PAGE_SEPARATOR = "\n\n";

// PDF.js logs every recoverable oddity of a file as a warning; a user's odd PDF is not the
// simulator's problem to report on its console, so only errors are let through.
const ERRORS_ONLY = 0;

/**
 * The text of every page of the PDF in `bytes`, pages separated by a blank line, or null when the
 * bytes are not a PDF that can be read (corrupt, truncated, encrypted with a password). Never
 * throws. A PDF whose pages hold no text (a scan) gives `""`.
 */
export async function extractPdfText(bytes: Uint8Array): Promise<string | null> {
  try {
    // PDF.js takes ownership of the buffer it is given and detaches it, so it gets a copy: the
    // caller's bytes are still needed afterwards (stored, served, described).
    const document = await getDocumentProxy(bytes.slice(), { verbosity: ERRORS_ONLY });
    try {
      const { text } = await extractText(document, { mergePages: false });
      const pages = Array.isArray(text) ? text : [text];
      return pages
        .map((page) => page.trim())
        .filter((page) => page !== "")
        .join(PDF_PAGE_SEPARATOR)
        .trim();
    } finally {
      await document.destroy();
    }
  } catch {
    return null;
  }
}
