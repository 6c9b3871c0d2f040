/**
 * JSON attachments, pretty-printed so a model reads one value per line. The text is re-indented
 * token by token instead of going through `JSON.parse` → `JSON.stringify`: a round trip would change
 * what the user sent (big integers lose digits, `1.50` becomes `1.5`, duplicate keys collapse to
 * the last one), and the bot must see the file's own values.
 */

const INDENT = "  ";

/**
 * `text` indented with two spaces per level when it is valid JSON, or `text` unchanged when it is
 * not (a half-written file is still worth showing as it is).
 */
export function prettyPrintJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  return reindent(text);
}

/**
 * Re-indents text already known to be valid JSON. Strings and literals are copied exactly; only
 * whitespace between tokens changes. Empty objects and arrays stay on one line (`{}`, `[]`).
 */
function reindent(json: string): string {
  let out = "";
  let depth = 0;
  const newline = () => `\n${INDENT.repeat(depth)}`;

  for (let i = 0; i < json.length; i++) {
    const char = json[i] as string;
    if (char === '"') {
      const end = endOfString(json, i);
      out += json.slice(i, end);
      i = end - 1;
    } else if (char === "{" || char === "[") {
      const next = nextSignificant(json, i + 1);
      if (json[next] === (char === "{" ? "}" : "]")) {
        out += char === "{" ? "{}" : "[]";
        i = next;
      } else {
        depth++;
        out += char + newline();
      }
    } else if (char === "}" || char === "]") {
      depth--;
      out += newline() + char;
    } else if (char === ",") {
      out += `,${newline()}`;
    } else if (char === ":") {
      out += ": ";
    } else if (char !== " " && char !== "\t" && char !== "\n" && char !== "\r") {
      out += char;
    }
  }
  return out;
}

/** Index just past the closing quote of the string starting at `json[start] === '"'`. */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length && json[i] !== '"') i += json[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Index of the first character at or after `from` that is not JSON whitespace. */
function nextSignificant(json: string, from: number): number {
  let i = from;
  while (i < json.length && " \t\n\r".includes(json[i] as string)) i++;
  return i;
}
