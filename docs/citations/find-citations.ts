/**
 * Finding citations of docs/protocol.md in a file's text. Two forms are cited:
 * - in prose and code: "protocol.md §1.7", "docs/protocol.md §4.3 and Part A", "(protocol.md §1.5
 *   (conversation length), §1.7)": every `§N` and `Part X` after "protocol.md", up to the end of the
 *   clause (a closing bracket, a quote, a table cell, a sentence or a blank line);
 * - in Markdown tables with a column headed "protocol.md" (docs/check.md): every `§N` and `Part X` in
 *   that column's cells.
 * Either form may name a row of Part A's server-side table: "Part A, Server side: done".
 */

/** One citation, at a 1-based line of the file. */
export interface Citation {
  line: number;
  /** A section number ("1.7", "2") or a part ("Part A"). */
  section?: string;
  /** A situation of Part A's server-side table ("done", "SSE framing"). */
  serverSideRow?: string;
}

const MENTION = /(?:docs\/)?protocol\.md\b/g;
const TOKEN = /§§?\s?(\d+(?:\.\d+)*)|\b(Part [A-Z])\b/g;
const SERVER_SIDE_ROW = /Part A, Server side: ([^;)|`"\n]+)/g;
/** A clause runs this far at most: a citation list is short, and prose after it is not one. */
const MAX_CLAUSE = 300;

/**
 * The citations in `text`; `markdown` turns on the table form.
 * @example
 * findCitations("See protocol.md §1.7 and Part A.", false);
 * // [{ line: 1, section: "1.7" }, { line: 1, section: "Part A" }]
 */
export function findCitations(text: string, markdown: boolean): Citation[] {
  const citations: Citation[] = [];
  const lineStarts = lineStartsOf(text);
  for (const mention of text.matchAll(MENTION)) {
    const start = mention.index + mention[0].length;
    const clause = text.slice(start, clauseEnd(text, start));
    citations.push(...citationsIn(clause, start, lineStarts));
  }
  if (markdown) citations.push(...tableCitations(text, lineStarts));
  return citations.sort((a, b) => a.line - b.line);
}

/** Where the clause starting at `start` ends. */
function clauseEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + MAX_CLAUSE);
  let depth = 0;
  for (let i = start; i < limit; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")" && --depth < 0) return i;
    else if (c === "`" || c === '"' || c === "|") return i;
    else if (c === "." && /\s/.test(text[i + 1] ?? " ")) return i;
    else if (c === "\n" && /^\n[ \t]*(\n|$)/.test(text.slice(i, i + 80))) return i;
    else if (text.startsWith("protocol.md", i) || text.startsWith("docs/protocol.md", i)) return i;
  }
  return limit;
}

function citationsIn(clause: string, offset: number, lineStarts: number[]): Citation[] {
  const found: Citation[] = [];
  for (const token of clause.matchAll(TOKEN)) {
    found.push({ line: lineAt(lineStarts, offset + token.index), section: token[1] ?? token[2] });
  }
  for (const row of clause.matchAll(SERVER_SIDE_ROW)) {
    const label = (row[1] ?? "").trim();
    if (label !== "") found.push({ line: lineAt(lineStarts, offset + row.index), serverSideRow: label });
  }
  return found;
}

/** Citations in the cells of table columns headed "protocol.md". */
function tableCitations(text: string, lineStarts: number[]): Citation[] {
  const found: Citation[] = [];
  const lines = text.split("\n");
  let column = -1;
  for (const [index, line] of lines.entries()) {
    if (!line.trimStart().startsWith("|")) {
      column = -1;
      continue;
    }
    const cells = line.split("|").map((cell) => cell.trim());
    if (column === -1) {
      column = cells.indexOf("protocol.md");
      continue;
    }
    const cell = cells[column] ?? "";
    if (/^-+$/.test(cell)) continue;
    const offset = lineStarts[index] ?? 0;
    for (const citation of citationsIn(cell, offset, lineStarts)) {
      found.push({ ...citation, line: index + 1 });
    }
  }
  return found;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line of a character offset. */
function lineAt(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}
