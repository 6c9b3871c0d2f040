/** How much of an endpoint's body goes into an error message the user sees. */
export const BODY_EXCERPT = 500;

/**
 * The start of a body on one line, for an error message: whitespace runs become one space, and past
 * {@link BODY_EXCERPT} characters it ends in `…`.
 * @example
 * bodyExcerpt('{\n  "error": "busy"\n}'); // '{ "error": "busy" }'
 */
export function bodyExcerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > BODY_EXCERPT ? `${flat.slice(0, BODY_EXCERPT - 1)}…` : flat;
}
