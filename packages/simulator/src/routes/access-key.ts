/**
 * The access key an `Authorization` header holds: `Bearer <key>` (the scheme in any case), or the key
 * alone, as Poe's file API takes it; null when there is none.
 *
 * @example
 * accessKeyFrom("Bearer abc"); // "abc"
 */
export function accessKeyFrom(authorization: string | undefined): string | null {
  // "Bearer" with nothing after it (streamRequest with an empty key sends that) holds no key.
  return /^(?:bearer(?:\s+|$))?(.*)$/i.exec(authorization?.trim() ?? "")?.[1]?.trim() || null;
}
