/**
 * How deeply a request body's JSON may nest (objects and arrays inside one another). Poe's requests
 * nest about ten levels, tool schemas a few more. A body nested thousands deep parses, but then breaks
 * whatever walks it recursively (`JSON.stringify`, a logger, a bot forwarding the request) with a stack
 * overflow, so servers refuse it up front.
 * @example
 * if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) return errorAnswer(400, "Nested too deeply.");
 */
export const MAX_JSON_DEPTH = 64;

/** Up to this limit the walk recurses (a frame per level, no allocation); past it, it keeps its own stack. */
const RECURSION_LIMIT = 512;

/**
 * Whether a parsed JSON value nests objects and arrays more than `maxDepth` levels deep (a scalar is
 * level 0, `{}` and `[]` level 1). Any depth of input is safe to check: the walk goes no deeper than
 * `maxDepth`, and stops at the first container past it.
 * @example
 * jsonDepthExceeds(JSON.parse("[[1]]"), 1); // true
 * jsonDepthExceeds({ a: [1, 2] }, 2); // false
 */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  return maxDepth <= RECURSION_LIMIT ? exceeds(value, maxDepth) : exceedsWithStack(value, maxDepth);
}

/** Runs for every request: recursion bounded by `levelsLeft`, and no arrays of children made. */
function exceeds(value: unknown, levelsLeft: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (levelsLeft === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (exceeds(value[i], levelsLeft - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && exceeds((value as Record<string, unknown>)[key], levelsLeft - 1)) {
      return true;
    }
  }
  return false;
}

function exceedsWithStack(value: unknown, maxDepth: number): boolean {
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
