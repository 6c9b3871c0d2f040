/** The `fetch` every client call goes through, and the hook `poekit/testing` uses to intercept it. */

/** A `fetch` function: the global one, or any stand-in with the same shape. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What a test stand-in replaces besides `fetch`: how retries wait, and where warnings go. */
export interface ClientOverride {
  fetch: FetchLike;
  /** The default wait between tries (a call's own `retries.sleep` still wins). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The default `onError` (a call's own still wins). */
  onError?: (error: Error, message: string) => void;
}

const overrides: ClientOverride[] = [];

/**
 * Routes every client call that was not given its own `fetch` through `override.fetch` (and its
 * defaults) until the returned function is called. Overrides nest; the newest wins.
 * @internal Used by `mockBots` in `poekit/testing`.
 */
export function installFetchOverride(override: FetchLike | ClientOverride): () => void {
  const entry = typeof override === "function" ? { fetch: override } : override;
  overrides.push(entry);
  return () => {
    const at = overrides.lastIndexOf(entry);
    if (at >= 0) overrides.splice(at, 1);
  };
}

/** The newest override, when one is installed. */
export function currentOverride(): ClientOverride | undefined {
  return overrides.at(-1);
}

/** The fetch to use: the caller's, else the newest override, else the global one (looked up per call). */
export function resolveFetch(explicit?: FetchLike): FetchLike {
  if (explicit) return explicit;
  const override = overrides.at(-1);
  if (override) return override.fetch;
  return (input, init) => globalThis.fetch(input, init);
}

/** The start of a response body as text, for error messages; never more than `limit` characters. */
export async function readBodyText(response: Response, limit = 64 * 1024): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length <= limit) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
    return `${text.slice(0, limit)}…`;
  } catch {
    return text;
  } finally {
    // An error body can be endless; stop reading it.
    reader.cancel().catch(() => undefined);
  }
}

/** `Authorization: Bearer <key>` when there is a key, nothing otherwise. */
export function bearer(key: string | null | undefined): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}
