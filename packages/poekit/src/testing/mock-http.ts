/**
 * Small helpers of the mock Poe server behind `mockBots`: JSON answers, keys from headers (and masked
 * for the record), URL segments, a MIME type from a file name, and bodies that honour an abort.
 */

/**
 * The MIME type of content of unknown type.
 * @internal
 * @example
 * guessMimeType("data.bin") === OCTET_STREAM; // true
 */
export const OCTET_STREAM = "application/octet-stream";

/**
 * A response with `body` as JSON.
 * @internal
 * @example
 * return jsonResponse(404, { detail: "mockBots: no bot named X" });
 */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/**
 * The key of an `Authorization: Bearer <key>` header, or null.
 * @internal
 * @example
 * bearerKey("Bearer abc"); // "abc"
 */
export function bearerKey(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() || null;
}

/**
 * The first 4 characters of a real key, enough to tell keys apart; nothing of a short one.
 * @internal
 * @example
 * maskKey("0123456789abcdefXYZ"); // "0123…"
 */
export function maskKey(key: string): string {
  return key.length >= 16 ? `${key.slice(0, 4)}…` : "…";
}

/**
 * A URL path segment, URL-decoded; as it is when it is not valid percent-encoding.
 * @internal
 * @example
 * decode("my%20bot"); // "my bot"
 */
export function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  json: "application/json",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  mp4: "video/mp4",
  zip: "application/zip",
};

/**
 * The MIME type of a file, from its name's extension; `application/octet-stream` when unknown.
 * @internal
 * @example
 * guessMimeType("chart.PNG"); // "image/png"
 */
export function guessMimeType(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot === -1 ? undefined : MIME_TYPES[name.slice(dot + 1).toLowerCase()]) ?? OCTET_STREAM;
}

/**
 * The response with a body that fails when `signal` aborts, as `fetch`'s does, so a client that
 * gives up also stops the mock bot.
 * @internal
 * @example
 * return abortable(await app.fetch(request), signal);
 */
export function abortable(response: Response, signal: AbortSignal | null): Response {
  const source = response.body;
  if (!signal || !source) return response;
  const reader = source.getReader();
  let onAbort: () => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        reader.cancel(signal.reason).catch(() => undefined);
        try {
          controller.error(signal.reason);
        } catch {
          // Already closed.
        }
      };
      // The caller may have given up while the mock bot was starting.
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          signal.removeEventListener("abort", onAbort);
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        signal.removeEventListener("abort", onAbort);
        controller.error(error);
      }
    },
    cancel(reason) {
      signal.removeEventListener("abort", onAbort);
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
