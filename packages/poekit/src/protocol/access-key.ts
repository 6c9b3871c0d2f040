import { ACCESS_KEY_LENGTH } from "./limits.js";

const encoder = new TextEncoder();

/**
 * Compares a presented key with the expected one in time that depends only on the expected key's
 * length: no early exit on the first differing byte, nor on a length mismatch. Web-standard code, so
 * it runs where `node:crypto` does not (Workers).
 * @example
 * keysMatch(credentials, bot.accessKey); // true or false
 */
export function keysMatch(presented: string, expected: string): boolean {
  const a = encoder.encode(presented);
  const b = encoder.encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i % (a.length || 1)] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** Why a key cannot be used, or `undefined` when it is well-formed. Never includes the key itself. */
export function accessKeyProblem(key: string): string | undefined {
  if (key.length !== ACCESS_KEY_LENGTH) {
    return `is ${key.length} characters long; Poe access keys are exactly ${ACCESS_KEY_LENGTH} characters (copy it from the bot's settings page on poe.com)`;
  }
  if (!/^[\x21-\x7e]+$/.test(key)) return "contains characters that are not printable ASCII";
  return undefined;
}
