/**
 * A failed call's error in a few words: its message, and the detail Node keeps in its `cause`
 * ("fetch failed (ECONNREFUSED)" rather than a bare "fetch failed").
 * @example
 * describeFailure(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })); // "fetch failed (ECONNREFUSED)"
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${error.message} (${String(detail)})` : error.message;
}
