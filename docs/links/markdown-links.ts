import { extractCodeBlocks } from "../snippets/markdown-blocks.js";

/** An inline link or image of a Markdown text, outside code. */
export interface MarkdownLink {
  /** What the parentheses hold, without a title: `guides/settings.md#sync`, `https://…`. */
  target: string;
  /** 1-based line of the link. */
  line: number;
}

const INLINE_LINK = /!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/**
 * The inline links and images of a Markdown text (`[text](target)`, `![alt](target)`), leaving out
 * fenced code blocks and inline code, where brackets are code.
 * @example
 * markdownLinks("See [settings](guides/settings.md#sync).\n`[not](a-link)`");
 * // [{ target: "guides/settings.md#sync", line: 1 }]
 */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const lines = markdown.split(/\r?\n/);
  for (const block of extractCodeBlocks(markdown)) {
    const last = block.closed ? block.line + block.code.split("\n").length : lines.length;
    for (let line = block.fenceLine; line <= last; line++) lines[line - 1] = "";
  }
  return lines.flatMap((text, index) =>
    [...withoutInlineCode(text).matchAll(INLINE_LINK)].map((match) => ({
      target: match[1] ?? "",
      line: index + 1,
    })),
  );
}

/** The line with each code span blanked out, so that its brackets are not read as a link. */
function withoutInlineCode(line: string): string {
  return line.replace(/(`+)(?:(?!\1).)+?\1/g, (span) => " ".repeat(span.length));
}
