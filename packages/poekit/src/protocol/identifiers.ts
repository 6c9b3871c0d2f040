/**
 * Poe identifiers: 1–3 lower-case letters naming the kind, a dash, and 32 characters of `[a-z0-9=]`.
 * Poe does not promise every id has this form, so requests are not rejected for other strings;
 * these helpers are for making ids (simulator, tests) and for checks that grade a bot.
 */

/** The form of a Poe identifier. */
export const IDENTIFIER_PATTERN = /^[a-z]{1,3}-[a-z0-9=]{32}$/;

/** The kind tags Poe uses: message, user, conversation and metadata. */
export type IdentifierKind = "m" | "u" | "c" | "d";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const BODY_LENGTH = 32;

/**
 * A new random identifier of the given kind (1–3 lower-case letters).
 * @example
 * makeIdentifier("m"); // "m-3k9x…" (32 characters after the dash)
 */
export function makeIdentifier(kind: IdentifierKind | (string & {})): string {
  if (!/^[a-z]{1,3}$/.test(kind)) {
    throw new TypeError(`An identifier kind is 1 to 3 lower-case letters, got ${JSON.stringify(kind)}`);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(BODY_LENGTH));
  let body = "";
  // 256 is not a multiple of 36, so the slight bias towards the first letters is accepted: ids need
  // to be unique, not uniformly distributed.
  for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length];
  return `${kind}-${body}`;
}

/**
 * Whether `value` is a well-formed identifier, optionally of one kind.
 * @example
 * isIdentifier("c-" + "a".repeat(32), "c"); // true
 * isIdentifier("123"); // false
 */
export function isIdentifier(value: unknown, kind?: IdentifierKind | (string & {})): value is string {
  if (typeof value !== "string" || !IDENTIFIER_PATTERN.test(value)) return false;
  return kind === undefined || value.startsWith(`${kind}-`);
}
