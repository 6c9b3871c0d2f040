import { readFileSync } from "node:fs";

/** The folder of the HTTP exchanges recorded from fastapi_poe (see its README). */
export const RECORDED_DIR = new URL("../protocol/fixtures/fastapi_poe/", import.meta.url);

/** One recorded HTTP message: its start line, headers (names lower-cased) and body bytes. */
export interface RecordedHttp {
  startLine: string;
  headers: Map<string, string>;
  /** The body as the peer meant it: chunked transfer encoding undone. */
  body: Uint8Array<ArrayBuffer>;
}

/**
 * Reads a recorded `.http` file. Test code only: it trusts the recording (CRLF header lines, sizes
 * that add up), which is what the recorder wrote.
 * @example
 * const { body } = readRecordedHttp("response-echo.http");
 */
export function readRecordedHttp(name: string): RecordedHttp {
  const file = readFileSync(new URL(name, RECORDED_DIR));
  // Server-side recordings end lines with CRLF; the 2026-11-22 client-side ones with LF.
  const crlf = file.indexOf("\r\n\r\n");
  const lf = file.indexOf("\n\n");
  const [headerEnd, separator] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2];
  if (headerEnd < 0) throw new Error(`${name}: no end of headers`);
  const [startLine = "", ...lines] = file.subarray(0, headerEnd).toString("latin1").split(/\r?\n/);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = new Uint8Array(file.subarray(headerEnd + separator));
  // The 2026-11-22 recordings say `chunked` but hold the body already joined; later ones keep the framing.
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked" && startsWithChunkSize(body)) {
    body = dechunk(body);
  }
  return { startLine, headers, body };
}

/** Recorded bodies as text (they are UTF-8 JSON or SSE). */
export function recordedText(name: string): string {
  return new TextDecoder().decode(readRecordedHttp(name).body);
}

function startsWithChunkSize(bytes: Uint8Array): boolean {
  return /^[0-9a-f]+\r\n/i.test(new TextDecoder("latin1").decode(bytes.subarray(0, 12)));
}

/** Undoes chunked transfer encoding: `<hex size>\r\n<bytes>\r\n` until a zero size. */
function dechunk(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  let at = 0;
  const text = (from: number, to: number) => new TextDecoder("latin1").decode(bytes.subarray(from, to));
  for (;;) {
    const lineEnd = bytes.indexOf(0x0d, at);
    const size = Number.parseInt(text(at, lineEnd), 16);
    if (!Number.isFinite(size) || size === 0) break;
    const start = lineEnd + 2;
    out.push(...bytes.subarray(start, start + size));
    at = start + size + 2;
  }
  return Uint8Array.from(out);
}
