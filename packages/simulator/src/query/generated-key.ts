/**
 * A made-up access key for a bot that was given none: Poe always sends `Authorization: Bearer <key>`,
 * and some bot libraries refuse a request without that header even when they check no key. 32 hex
 * characters, as long as Poe's keys. It may be shown: a bot without a key accepts any.
 * @example
 * generateAccessKey(); // "3f9c0d…" (32 characters)
 */
export function generateAccessKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
