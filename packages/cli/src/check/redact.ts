/**
 * How an access key is shown: its last four characters only (none of a key too short to spare them).
 * @example
 * maskKey("0123456789abcdefghijklmnopqrstuv"); // "••••stuv"
 */
export function maskKey(key: string): string {
  return key.length >= 16 ? `••••${key.slice(-4)}` : "••••";
}

/**
 * `value` with every occurrence of `key` in its strings (keys and values, at any depth) masked, so
 * that no report shows it, however the bot echoed it back.
 * @example
 * redactKey({ headers: { authorization: `Bearer ${key}` } }, key); // { headers: { authorization: "Bearer ••••stuv" } }
 */
export function redactKey<T>(value: T, key: string | null): T {
  if (key === null || key === "") return value;
  const mask = maskKey(key);
  const forms = [...new Set([key, encodeURIComponent(key), JSON.stringify(key).slice(1, -1)])];
  const redactText = (text: string) => forms.reduce((masked, form) => masked.split(form).join(mask), text);
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return redactText(item);
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === "object" && item !== null) {
      return Object.fromEntries(Object.entries(item).map(([name, inner]) => [redactText(name), walk(inner)]));
    }
    return item;
  };
  return walk(value) as T;
}
