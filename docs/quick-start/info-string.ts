/**
 * Reads the words after a fence's language as attributes: `name`, `name=value` or `name="a value"`.
 * GitHub renders the block by its first word alone (`sh`, `ts`, `text`), so these stay out of sight.
 * Takes the words as markdown-blocks.ts splits them, and joins them back for quoted values.
 * @example
 * readInfoAttributes(['cwd=my-bot', 'background="chat', 'with"']); // { cwd: "my-bot", background: "chat with" }
 */
export function readInfoAttributes(words: readonly string[]): Record<string, string> {
  const text = words.join(" ");
  const attributes: Record<string, string> = {};
  const pattern = /([\w-]+)(?:=(?:"([^"]*)"|([^"\s]\S*)))?(\s+|$)/gy;
  let at = 0;
  while (at < text.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) throw new Error(`Cannot read the info string "${text}" from "${text.slice(at)}" on.`);
    const [whole, name = "", quoted, bare] = match;
    attributes[name] = quoted ?? bare ?? "";
    at += whole.length;
  }
  return attributes;
}
