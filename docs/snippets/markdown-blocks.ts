/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The info string's first word, lower-cased: `ts`, `json`, `sh`…; `""` when there is none. */
  lang: string;
  /** The info string's other words, such as `file=bot.ts` or `continues`. */
  attributes: string[];
  /** The lines between the fences, without the opening fence's indentation, joined with `"\n"`. */
  code: string;
  /** 1-based line of the opening fence in the Markdown file. */
  fenceLine: number;
  /** 1-based line of the block's first line of code (the line after the opening fence). */
  line: number;
  /** False when the document ends before the closing fence. */
  closed: boolean;
}

const OPENING_FENCE = /^( *)(`{3,}|~{3,})(.*)$/;

/**
 * Finds the fenced code blocks (``` or ~~~, at any indentation, as in list items) of a Markdown text,
 * in order, with the line each starts on. Indented code blocks and inline code are not blocks.
 * @example
 * const [block] = extractCodeBlocks("Intro\n\n```ts file=bot.ts\nexport {};\n```\n");
 * // block: { lang: "ts", attributes: ["file=bot.ts"], code: "export {};", fenceLine: 3, line: 4, closed: true }
 */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const opening = OPENING_FENCE.exec(lines[index] ?? "");
    const [, indent = "", fence = "", info = ""] = opening ?? [];
    // A backtick fence's info string may not contain a backtick: "```a``` b" is inline code.
    if (!opening || (fence.startsWith("`") && info.includes("`"))) {
      index++;
      continue;
    }
    const closing = new RegExp(`^ *${fence[0] === "`" ? "`" : "~"}{${fence.length},} *$`);
    const end = lines.findIndex((line, at) => at > index && closing.test(line));
    const codeLines = lines.slice(index + 1, end === -1 ? lines.length : end);
    const [lang = "", ...attributes] = info.trim().split(/\s+/).filter(Boolean);
    blocks.push({
      lang: lang.toLowerCase(),
      attributes,
      code: codeLines.map((line) => stripIndent(line, indent.length)).join("\n"),
      fenceLine: index + 1,
      line: index + 2,
      closed: end !== -1,
    });
    index = end === -1 ? lines.length : end + 1;
  }
  return blocks;
}

/** Removes up to `width` leading spaces, as CommonMark does for the lines of an indented fence. */
function stripIndent(line: string, width: number): string {
  let cut = 0;
  while (cut < width && line[cut] === " ") cut++;
  return line.slice(cut);
}
