/**
 * `@Name` mentions in the composer, without the DOM: finding the mention being typed, offering bot names,
 * and putting the chosen one in.
 */

/** A mention being typed: `text.slice(start, end)` is `@` followed by `query`. */
export interface MentionQuery {
  start: number;
  end: number;
  query: string;
}

/** The `@…` word that ends at the caret, when it starts a word; null otherwise. */
export function findMention(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)@([\w.-]*)$/.exec(before);
  if (!match) return null;
  const query = match[1] ?? "";
  return { start: caret - query.length - 1, end: caret, query };
}

/** Bot names for a mention query: names starting with it first, then names containing it. */
export function matchNames(names: readonly string[], query: string, limit = 8): string[] {
  const wanted = query.toLowerCase();
  const starts = names.filter((name) => name.toLowerCase().startsWith(wanted));
  const contains = names.filter(
    (name) => !name.toLowerCase().startsWith(wanted) && name.toLowerCase().includes(wanted),
  );
  return [...starts, ...contains].slice(0, limit);
}

/** Replaces the mention with `@name` and a space; returns the new text and where the caret goes. */
export function insertMention(
  text: string,
  mention: MentionQuery,
  name: string,
): { text: string; caret: number } {
  const after = text.slice(mention.end);
  const spacer = /^\s/.test(after) ? "" : " ";
  const inserted = `@${name}${spacer}`;
  return {
    text: text.slice(0, mention.start) + inserted + after,
    caret: mention.start + inserted.length + (spacer ? 0 : 1),
  };
}
