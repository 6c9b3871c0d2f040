/** How much of a non-SSE body goes into a violation message. */
export const SNIPPET_BYTES = 2048;
/** How long to wait for that much: a bot that sends an error status and then stalls is not waited for. */
export const SNIPPET_WAIT_MS = 2_000;

/**
 * The start of `response`'s body as text (at most `maxBytes`, whitespace runs collapsed, marked when
 * cut), read from `reader`. Never throws: whatever could not be read is simply missing. The reader is
 * cancelled afterwards, so the rest of the body is never downloaded.
 */
export async function readBodySnippet(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes = SNIPPET_BYTES,
  waitMs = SNIPPET_WAIT_MS,
): Promise<string> {
  // Cancelling resolves a pending read as finished, which ends the loop below.
  const timer = setTimeout(() => reader.cancel().catch(() => undefined), waitMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Reading one byte past the limit tells a body of exactly maxBytes from a longer one.
    while (size <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body that breaks off still has a beginning worth showing.
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => undefined);
  }
  const cut = size > maxBytes;
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.byteLength - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset === bytes.byteLength) break;
  }
  // A character cut at the end becomes U+FFFD rather than an error.
  const text = new TextDecoder().decode(bytes).replace(/\s+/g, " ").trim();
  return cut ? `${text}…` : text;
}
