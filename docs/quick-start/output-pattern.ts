/**
 * The pattern of a `text output` block: its lines, whole and in a row, as written, except that `…`
 * stands for any text within its line (a URL's random part, a duration, a key).
 * @example
 * outputPattern("reloaded in … ms").test("poekit dev: x\nreloaded in 412 ms\n"); // true
 */
export function outputPattern(expected: string): RegExp {
  const lines = expected
    .replace(/\n+$/, "")
    .split("\n")
    .map((line) => line.split("…").map(escapeRegExp).join("[^\\n]*?"));
  return new RegExp(`(?:^|\\n)${lines.join("\\r?\\n")}\\r?(?=\\n|$)`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
