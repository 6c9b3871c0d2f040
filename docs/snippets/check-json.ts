/** Why a JSON block does not parse, and the 0-based line of the block where. */
export interface JsonProblem {
  line: number;
  message: string;
}

/**
 * Parses a `json` block with `JSON.parse`, or a `jsonc` block after blanking its `//` and `/* *\/`
 * comments (trailing commas stay errors). Returns the parser's complaint, or `undefined` when it parses.
 * @example
 * jsonProblem('{\n  "a": 1,\n}', { comments: false });
 * // { line: 2, message: "Expected double-quoted property name in JSON at position 12" } (V8's words)
 */
export function jsonProblem(code: string, { comments }: { comments: boolean }): JsonProblem | undefined {
  const text = comments ? blankComments(code) : code;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? 0 : text.slice(0, Number(position)).split("\n").length - 1;
    return { line, message: `Invalid JSON: ${message}` };
  }
}

/** Replaces comments outside strings with spaces, keeping every other character where it was. */
function blankComments(code: string): string {
  let result = "";
  let at = 0;
  while (at < code.length) {
    const char = code[at] ?? "";
    const next = code[at + 1];
    if (char === '"') {
      const end = stringEnd(code, at);
      result += code.slice(at, end);
      at = end;
    } else if (char === "/" && (next === "/" || next === "*")) {
      const close = next === "/" ? code.indexOf("\n", at) : code.indexOf("*/", at + 2);
      const end = close === -1 ? code.length : next === "/" ? close : close + 2;
      result += code.slice(at, end).replace(/[^\n]/g, " ");
      at = end;
    } else {
      result += char;
      at++;
    }
  }
  return result;
}

/** Index just after the string literal starting at `open`. */
function stringEnd(code: string, open: number): number {
  for (let at = open + 1; at < code.length; at++) {
    if (code[at] === "\\") at++;
    else if (code[at] === '"' || code[at] === "\n") return at + 1;
  }
  return code.length;
}
