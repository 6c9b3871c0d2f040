/**
 * Whether `value` is a JSON object: not null, not an array.
 * @example
 * isJsonObject({ type: "query" }); // true
 * isJsonObject([]); // false
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `text` parsed as JSON, or `undefined` when it is not JSON.
 * @example
 * parseJsonOrUndefined("{}"); // {}
 * parseJsonOrUndefined("nope"); // undefined
 */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
