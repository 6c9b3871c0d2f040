import { type Citation, findCitations } from "./find-citations.js";
import { findOutsideReferences } from "./outside-references.js";
import type { ProtocolSections } from "./protocol-sections.js";

/** Something a file cites that cannot be followed, at a 1-based line. */
export interface CitationProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * `file:line: message`, the form editors and terminals link to.
 * @example
 * formatProblem({ file: "a.ts", line: 3, message: "no such section" }); // "a.ts:3: no such section"
 */
export function formatProblem(problem: CitationProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/**
 * The citations of docs/protocol.md in one file that name no heading (or no Part A row) of it, and
 * the file's references to documents outside the repository.
 * @example
 * checkFile("a.md", "See protocol.md §1.7.", protocolSections(protocolText)).problems; // []
 */
export function checkFile(
  file: string,
  text: string,
  protocol: ProtocolSections,
): { citations: Citation[]; problems: CitationProblem[] } {
  const citations = findCitations(text, file.endsWith(".md"));
  const problems: CitationProblem[] = [];
  for (const citation of citations) {
    const message = unresolved(citation, protocol);
    if (message !== undefined) problems.push({ file, line: citation.line, message });
  }
  for (const reference of findOutsideReferences(text)) {
    problems.push({
      file,
      line: reference.line,
      message: `"${reference.text}" points outside the repository; cite docs/protocol.md (or the fixtures in packages/poekit/src/protocol/fixtures/) instead`,
    });
  }
  return { citations, problems };
}

/** Why a citation cannot be followed, or undefined when it can. */
export function unresolved(citation: Citation, protocol: ProtocolSections): string | undefined {
  if (citation.section !== undefined && !protocol.sections.has(citation.section)) {
    const shown = citation.section.startsWith("Part ") ? citation.section : `§${citation.section}`;
    return `protocol.md ${shown} is not a heading of docs/protocol.md`;
  }
  const row = citation.serverSideRow;
  if (row !== undefined && !protocol.serverSideRows.some((situation) => situation.startsWith(row))) {
    return `"Part A, Server side: ${row}" is not a row of the Server side table in docs/protocol.md`;
  }
  return undefined;
}
