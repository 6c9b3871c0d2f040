/** The open conversation in the page's URL: `#/c/<id>`, or `#/` when none is open. */

/** The conversation id named by the URL (`#/c/<id>`), or null (also for a hash that does not decode). */
export function conversationFromHash(): string | null {
  const match = /^#\/c\/(.+)$/.exec(location.hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1] ?? "");
  } catch {
    return null;
  }
}

/** The hash that names a conversation, or none. */
export function hashOf(conversationId: string | null): string {
  return conversationId ? `#/c/${encodeURIComponent(conversationId)}` : "#/";
}
