/**
 * References to documents outside the repository: the protocol notes, design notes and recorded
 * fixtures that once lived in a folder beside it. A person who clones poekit cannot follow them; the
 * protocol is docs/protocol.md and the fixtures are in packages/poekit/src/protocol/fixtures/.
 */
const OUTSIDE = /\.\.\/shared\b|\bshared\/(?:protocol\.md|fixtures|DESIGN\.md|STYLE\.md)|\/work\/shared\b/g;

/** One reference, at a 1-based line. */
export interface OutsideReference {
  line: number;
  text: string;
}

/**
 * The references in `text` to documents outside the repository.
 * @example
 * findOutsideReferences(text); // [{ line: 3, text: <the reference> }, …]
 */
export function findOutsideReferences(text: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  for (const match of text.matchAll(OUTSIDE)) {
    const line = text.slice(0, match.index).split("\n").length;
    found.push({ line, text: match[0] });
  }
  return found;
}
