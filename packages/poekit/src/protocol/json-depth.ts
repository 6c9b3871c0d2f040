/**
 * How deeply a request body's JSON may nest (objects and arrays inside one another). Poe's requests
 * nest about ten levels, tool schemas a few more. A body nested thousands deep parses, but then breaks
 * whatever walks it recursively (`JSON.stringify`, a logger, a bot forwarding the request) with a stack
 * overflow, so servers refuse it up front.
 * @example
 * if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) return errorAnswer(400, "Nested too deeply.");
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON value nests objects and arrays more than `maxDepth` levels deep (a scalar is
 * level 0, `{}` and `[]` level 1). It walks with its own stack, so any depth is safe to check, and stops
 * at the first container past the limit.
 * @example
 * jsonDepthExceeds(JSON.parse("[[1]]"), 1); // true
 * jsonDepthExceeds({ a: [1, 2] }, 2); // false
 */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, depth] = next;
    if (typeof item !== "object" || item === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
