/**
 * The whole body of `response`, or null when it holds more than `maxBytes`. Reading stops at the
 * limit, so neither a body that never ends nor a false `Content-Length` makes it hold more; the rest is
 * cancelled. Rejects when the body breaks off.
 *
 * @example
 * const bytes = await readCappedBody(response, 1024 * 1024);
 * if (bytes === null) throw new Error("too large");
 */
export async function readCappedBody(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const data = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return data;
}
