/** Counting the pages of a PDF with unpdf (Mozilla's PDF.js, packaged to run in Node without a worker). */
import { getDocumentProxy } from "unpdf";

/** Bytes that are not a PDF PDF.js can open, with a message fit to show the user. */
export class NotAPdfError extends Error {
  override name = "NotAPdfError";
}

// PDF.js logs every oddity of a file it can recover from; a user's odd PDF is no news for the server log.
const ERRORS_ONLY = 0;

/**
 * How many pages the PDF in `bytes` has. Throws {@link NotAPdfError}, with a message completing
 * "I could not count its pages: …", when the bytes are not a PDF, are damaged, or need a password.
 * @example
 * await countPdfPages(bytes); // 3
 */
export async function countPdfPages(bytes: Uint8Array): Promise<number> {
  let document: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js takes over (detaches) the buffer it is given; the caller keeps its own.
    document = await getDocumentProxy(bytes.slice(), { verbosity: ERRORS_ONLY });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    throw new NotAPdfError(
      name === "PasswordException"
        ? "it is protected by a password"
        : "it is not a PDF file, or it is damaged",
    );
  }
  try {
    return document.numPages;
  } finally {
    await document.destroy();
  }
}
