/** What an access key is replaced with in messages, logs and recorded data. */
export const KEY_MASK = "***";

/**
 * A function that replaces every occurrence of `key` (as it is and URL-encoded, as it appears in
 * settings-sync URLs) with `***`. An empty key masks nothing.
 * @example
 * const mask = keyMasker(accessKey);
 * logger.warn(mask(error.message));
 */
export function keyMasker(key: string | null | undefined): (text: string) => string {
  if (!key) return (text) => text;
  const forms = [...new Set([key, encodeURIComponent(key)])];
  return (text) => {
    let masked = text;
    for (const form of forms) masked = masked.split(form).join(KEY_MASK);
    return masked;
  };
}
