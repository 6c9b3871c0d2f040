import {
  type Attachment,
  PoeBot,
  type PoeBotOptions,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
} from "poekit";
import { countPdfPages, NotAPdfError } from "./count-pages.js";
import { DownloadError, download } from "./download.js";

/** Options of {@link PdfCounterBot}: those of every bot, plus the download limits. */
export interface PdfCounterBotOptions extends PoeBotOptions {
  /** Longest one download may take, in ms; default 30 s. */
  downloadTimeoutMs?: number;
  /** Largest PDF accepted, in bytes; default 50 MB (the largest file Poe accepts). */
  maxBytes?: number;
}

/** What became of one attachment: its page count, or why there is none. */
export type PageCount = { pages: number } | { problem: string };

/**
 * Counts the pages of the PDFs attached to the latest message that has attachments: it downloads each
 * from its URL and opens it with a PDF library (unpdf). Each file gets a line of its own as soon as it
 * is counted, and a file that cannot be downloaded, is not a PDF, or cannot be read says so.
 */
export class PdfCounterBot extends PoeBot {
  readonly downloadTimeoutMs: number;
  readonly maxBytes: number;

  constructor(options: PdfCounterBotOptions = {}) {
    const { downloadTimeoutMs = 30_000, maxBytes = 50 * 1024 * 1024, ...botOptions } = options;
    // The bot reads the files themselves; the text Poe extracted from them is not needed.
    super({ shouldInsertAttachmentMessages: false, ...botOptions });
    this.downloadTimeoutMs = downloadTimeoutMs;
    this.maxBytes = maxBytes;
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const attachments =
      request.query.findLast((message) => message.role === "user" && message.attachments.length > 0)
        ?.attachments ?? [];
    if (attachments.length === 0) {
      yield "Attach a PDF to your message and I will count its pages.";
      return;
    }
    let total = 0;
    let counted = 0;
    for (const [index, attachment] of attachments.entries()) {
      const result = await this.countPages(attachment, context.signal);
      if ("pages" in result) {
        total += result.pages;
        counted++;
      }
      // Each line leaves as soon as its file is counted.
      yield `${index > 0 ? "\n" : ""}${describeCount(attachment.name, result)}`;
    }
    if (counted > 1) yield `\n\n**${plural(total, "page")} in all.**`;
  }

  /**
   * Downloads one attachment and counts its pages; every failure the user can understand is a
   * `problem`, not an exception.
   * @example
   * await bot.countPages({ url, content_type: "application/pdf", name: "a.pdf" }); // { pages: 2 }
   */
  async countPages(
    attachment: Pick<Attachment, "url" | "content_type" | "name">,
    signal?: AbortSignal,
  ): Promise<PageCount> {
    if (!isPdf(attachment)) {
      return {
        problem: `it is not a PDF (${attachment.content_type || "unknown type"}), so I did not open it`,
      };
    }
    try {
      const bytes = await download(attachment.url, {
        timeoutMs: this.downloadTimeoutMs,
        maxBytes: this.maxBytes,
        ...(signal ? { signal } : {}),
      });
      return { pages: await countPdfPages(bytes) };
    } catch (error) {
      if (error instanceof DownloadError) return { problem: `I could not download it: ${error.message}` };
      if (error instanceof NotAPdfError) return { problem: `I could not count its pages: ${error.message}` };
      throw error;
    }
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: "Attach one or more PDFs and I will tell you how many pages each has.",
      allow_attachments: true,
    };
  }
}

/**
 * Whether an attachment says it is a PDF, by its content type or, failing that, its name.
 * @example
 * isPdf({ content_type: "application/octet-stream", name: "Report.PDF" }); // true
 */
export function isPdf(attachment: Pick<Attachment, "content_type" | "name">): boolean {
  const type = attachment.content_type.split(";")[0]?.trim().toLowerCase();
  return type === "application/pdf" || /\.pdf$/i.test(attachment.name);
}

/**
 * One line of the answer, as a Markdown list item.
 * @example
 * describeCount("a.pdf", { pages: 1 }); // "- **a.pdf**: 1 page"
 */
export function describeCount(name: string, result: PageCount): string {
  const label = `- **${escapeMarkdown(name || "unnamed file")}**`;
  return "pages" in result ? `${label}: ${plural(result.pages, "page")}` : `${label}: ${result.problem}.`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** A file name is the user's text: its `*`, `_` and the like must not turn into formatting. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~]/g, "\\$&");
}

export default new PdfCounterBot();
