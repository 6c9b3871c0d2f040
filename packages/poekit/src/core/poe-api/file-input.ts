/**
 * Turning the file a caller gives (bytes, a `Blob` or `File`, a stream) into a named `Blob` to upload:
 * its name, its size when known without reading it, and its content read within a size limit.
 */

import { InvalidParameterError } from "../errors.js";

/**
 * What {@link uploadFile} can send: bytes, a `Blob` or `File`, a web `ReadableStream`, or any async
 * iterable of chunks (a Node `Readable`, an async generator). Strings in an iterable are sent as UTF-8.
 * @example
 * const file: UploadFileInput = fs.createReadStream("report.pdf");
 */
export type UploadFileInput =
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

/**
 * The last segment of a URL's path, URL-decoded; `undefined` when the path has none.
 * @internal Shared with `postMessageAttachment`.
 * @example
 * urlFileName("https://e.com/a/my%20file.pdf?x=1"); // "my file.pdf"
 */
export function urlFileName(url: string | URL): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const segment = path.slice(path.lastIndexOf("/") + 1);
  try {
    return nonEmpty(decodeURIComponent(segment));
  } catch {
    return nonEmpty(segment);
  }
}

/**
 * The name a file carries itself: a `File`'s name, or the basename of a file stream's `path`.
 * @internal Shared with `postMessageAttachment`.
 * @example
 * ownFileName(fs.createReadStream("/tmp/notes.md")); // "notes.md"
 */
export function ownFileName(file: unknown): string | undefined {
  if (typeof file !== "object" || file === null) return undefined;
  const { name, path } = file as { name?: unknown; path?: unknown };
  if (typeof name === "string" && name !== "") return basename(name);
  if (typeof path === "string" && path !== "") return basename(path);
  return undefined;
}

/**
 * The size of a file when it is known without reading it (bytes and blobs), else `undefined`.
 * @internal Shared with `postMessageAttachment`.
 * @example
 * knownSize(new Blob(["abc"])); // 3
 */
export function knownSize(file: unknown): number | undefined {
  if (file instanceof Blob) return file.size;
  if (file instanceof ArrayBuffer || ArrayBuffer.isView(file)) return file.byteLength;
  return undefined;
}

/**
 * Turns any accepted input into a Blob, reading streams to the end but never past `maxBytes`.
 * @internal Used by `uploadFile`.
 * @example
 * const blob = await toBlob(fs.createReadStream("a.csv"), "a.csv", "text/csv", 1e6, signal);
 */
export async function toBlob(
  file: UploadFileInput,
  name: string,
  contentType: string | undefined,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<Blob> {
  const tooLarge = (size?: number) =>
    new InvalidParameterError(
      `${name} is ${size === undefined ? "" : `${size} bytes, `}more than the ` +
        `${describeBytes(maxBytes)} this upload accepts.`,
    );
  const size = knownSize(file);
  if (size !== undefined && size > maxBytes) throw tooLarge(size);

  if (file instanceof Blob) {
    if (contentType === undefined || contentType === file.type) return file;
    return file.slice(0, file.size, contentType);
  }
  const type = contentType ?? "";
  if (file instanceof ArrayBuffer) return new Blob([file], { type });
  if (file instanceof Uint8Array) return new Blob([file as Uint8Array<ArrayBuffer>], { type });

  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  const add = (chunk: unknown): void => {
    const bytes = toBytes(chunk, name);
    total += bytes.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(bytes);
  };

  if (isReadableStream(file)) {
    const reader = file.getReader();
    try {
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) break;
        add(value);
      }
    } catch (error) {
      reader.cancel(error).catch(() => undefined);
      throw error;
    } finally {
      reader.releaseLock();
    }
    return new Blob(chunks, { type });
  }
  if (isAsyncIterable(file)) {
    // for-await closes the iterator (and so destroys a Node stream) when the loop throws.
    for await (const chunk of file) {
      signal?.throwIfAborted();
      add(chunk);
    }
    return new Blob(chunks, { type });
  }
  throw new InvalidParameterError(
    typeof file === "string"
      ? "uploadFile's `file` is a string; pass its bytes (new TextEncoder().encode(text)) or a Blob instead."
      : "uploadFile's `file` must be a Uint8Array, an ArrayBuffer, a Blob or File, a ReadableStream, or an " +
          "async iterable of chunks (such as a Node stream).",
  );
}

const textEncoder = new TextEncoder();

function toBytes(chunk: unknown, name: string): Uint8Array<ArrayBuffer> {
  if (typeof chunk === "string") return textEncoder.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk as Uint8Array<ArrayBuffer>;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new InvalidParameterError(
    `Reading ${name} gave a chunk that is neither bytes nor a string: ` +
      `${Object.prototype.toString.call(chunk)}.`,
  );
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as ReadableStream | null)?.getReader === "function";
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function";
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1) || path;
}

/**
 * `undefined` for an absent or empty string, else the string.
 * @internal Shared with `uploadFile` and `postMessageAttachment`.
 * @example
 * nonEmpty(options.fileName) ?? "file";
 */
export function nonEmpty(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : value;
}

function describeBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) && mb >= 1 ? `${mb} MB (${bytes} bytes)` : `${bytes} bytes`;
}
