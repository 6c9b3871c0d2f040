/** The body of a request as text, or the reason it could not be read. */
export type BodyResult = { ok: true; text: string } | { ok: false; status: 400 | 413; detail: string };

const decoder = new TextDecoder("utf-8", { fatal: true });
/** A body that ended before its end (the client went away) or could not be read. */
export const UNREADABLE: BodyResult = {
  ok: false,
  status: 400,
  detail: "The request body could not be read completely.",
};

/**
 * Reads a request body up to `maxBytes`. A declared length over the limit is refused before reading;
 * an undeclared (chunked) body is counted as it arrives and the read stops at the limit, so an
 * oversize body is never held in memory.
 */
export async function readBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) return tooLarge(maxBytes);
  // The HTTP parser holds a body to its declared length, and runtimes read it fastest whole.
  if (declared !== null) {
    try {
      return decodeBody(new Uint8Array(await request.arrayBuffer()));
    } catch {
      return UNREADABLE;
    }
  }
  if (request.body === null) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch {
    return UNREADABLE;
  }
  return decodeBody(chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, size));
}

/**
 * The answer to a body over the limit.
 * @example
 * if (size > maxBytes) return tooLarge(maxBytes);
 */
export function tooLarge(maxBytes: number): BodyResult {
  return {
    ok: false,
    status: 413,
    detail: `The request body is larger than the limit of ${maxBytes} bytes.`,
  };
}

/**
 * A body's bytes as text, refused when they are not UTF-8.
 * @example
 * const body = decodeBody(Buffer.concat(chunks));
 */
export function decodeBody(bytes: Uint8Array): BodyResult {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, status: 400, detail: "The request body is not valid UTF-8." };
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
