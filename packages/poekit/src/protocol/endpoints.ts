/**
 * Where the client sends its calls. Each function takes the caller's explicit base URL first; then the
 * `POE_API_BASE_URL` environment variable (the root of a Poe stand-in such as the simulator, e.g.
 * `http://127.0.0.1:7777/`); then Poe's real endpoints.
 */

/** Poe's bot query API: `POST {base}{botName}`. Also the base of settings sync. */
export const POE_BOT_BASE_URL = "https://api.poe.com/bot/";
/** Poe's API root; cost calls go to `{root}bot/cost/…`. */
export const POE_API_ROOT_URL = "https://api.poe.com/";
/** Poe's file API; uploads go to `{base}file_upload_3RD_PARTY_POST`. */
export const POE_UPLOAD_BASE_URL = "https://www.quora.com/poe_api/";

/** The environment variable that points every client call at a Poe stand-in. */
export const BASE_URL_ENV = "POE_API_BASE_URL";

// Read through globalThis: runtimes such as Workers have no `process`.
function environmentRoot(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[BASE_URL_ENV]?.trim();
  return value ? withTrailingSlash(value) : undefined;
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/**
 * The bot query API base: the option, else `$POE_API_BASE_URL/bot/`, else Poe's.
 * @example
 * botBaseUrl(); // "https://api.poe.com/bot/" when POE_API_BASE_URL is not set
 */
export function botBaseUrl(option?: string | null): string {
  if (option) return withTrailingSlash(option);
  const root = environmentRoot();
  return root ? `${root}bot/` : POE_BOT_BASE_URL;
}

/**
 * The API root for cost calls: the option, else `$POE_API_BASE_URL`, else Poe's.
 * @example
 * apiRootUrl("http://127.0.0.1:7777"); // "http://127.0.0.1:7777/"
 */
export function apiRootUrl(option?: string | null): string {
  if (option) return withTrailingSlash(option);
  return environmentRoot() ?? POE_API_ROOT_URL;
}

/**
 * The file API base: the option, else `$POE_API_BASE_URL/poe_api/`, else Poe's.
 * @example
 * uploadBaseUrl(); // "https://www.quora.com/poe_api/" when POE_API_BASE_URL is not set
 */
export function uploadBaseUrl(option?: string | null): string {
  if (option) return withTrailingSlash(option);
  const root = environmentRoot();
  return root ? `${root}poe_api/` : POE_UPLOAD_BASE_URL;
}

/** Whether a URL points at Poe itself (where calls without a key can only fail). */
export function isPoeUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "poe.com" || host.endsWith(".poe.com") || host === "www.quora.com";
  } catch {
    return false;
  }
}
