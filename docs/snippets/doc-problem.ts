/** Something wrong with a code block of a doc, at a line of that doc. */
export interface DocProblem {
  /** The doc's path from the repository root, with forward slashes: `docs/server.md`. */
  doc: string;
  /** 1-based line in the doc. */
  line: number;
  message: string;
}

/**
 * The one-line form a failing test prints, which editors turn into a link.
 * @example
 * formatProblem({ doc: "docs/server.md", line: 12, message: "Cannot find name 'bot'. (TS2304)" });
 * // "docs/server.md:12: Cannot find name 'bot'. (TS2304)"
 */
export function formatProblem(problem: DocProblem): string {
  return `${problem.doc}:${problem.line}: ${problem.message}`;
}
