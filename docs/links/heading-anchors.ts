import { extractCodeBlocks } from "../snippets/markdown-blocks.js";

/**
 * The anchors GitHub gives a Markdown text's headings: lower case, inline code's backticks and
 * punctuation dropped, spaces as hyphens, a repeated heading numbered (`-1`, `-2`).
 * @example
 * headingAnchors("# Writing a bot\n## How a response is written (and why)");
 * // Set { "writing-a-bot", "how-a-response-is-written-and-why" }
 */
export function headingAnchors(markdown: string): Set<string> {
  const lines = markdown.split(/\r?\n/);
  for (const block of extractCodeBlocks(markdown)) {
    const last = block.closed ? block.line + block.code.split("\n").length : lines.length;
    for (let line = block.fenceLine; line <= last; line++) lines[line - 1] = "";
  }
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of lines) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = slugOf(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function slugOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // a link in a heading counts by its text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
    .replace(/ /g, "-");
}
