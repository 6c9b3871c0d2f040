/** Downloading a file the user attached, with a time limit and a size limit. */

/** A download that failed, with a message fit to show the user. */
export class DownloadError extends Error {
  override name = "DownloadError";
}

/** Options of {@link download}. */
export interface DownloadOptions {
  /** Longest the download may take, body included, in ms. */
  timeoutMs: number;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Ends the download when the user leaves; it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * The bytes at `url`. Every failure the user should hear about (not http(s), an HTTP error, too
 * large, too slow, unreachable) is a {@link DownloadError} whose message completes "I could not
 * download it: …"; only the caller's own abort rejects with something else.
 * @example
 * const bytes = await download(attachment.url, { timeoutMs: 30_000, maxBytes: 50 * 1024 * 1024 });
 */
export async function download(url: string, options: DownloadOptions): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError("its URL is not valid");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new DownloadError(`its URL is not a web address (${parsed.protocol})`);
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(parsed, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw new DownloadError(`the server answered HTTP ${response.status} ${response.statusText}`.trim());
    }
    const declared = Number(response.headers.get("content-length"));
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(options.maxBytes);
    }
    return await readAtMost(response, options.maxBytes);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof DownloadError) throw error;
    if (timeout.aborted) throw new DownloadError(`it took longer than ${options.timeoutMs / 1000} s`);
    throw new DownloadError(`the connection failed (${describe(error)})`);
  }
}

/** The body, refusing it as soon as it grows past `maxBytes` (a server may send more than it declared). */
async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

function tooLarge(maxBytes: number): DownloadError {
  return new DownloadError(`it is larger than ${formatSize(maxBytes)}`);
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** Node's fetch says only "fetch failed"; the reason is in the cause. */
function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
