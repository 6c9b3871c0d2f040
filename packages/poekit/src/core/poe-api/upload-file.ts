/**
 * Uploading a file to Poe's file API, which hosts it and answers with its URL. Bots attach the result
 * to a message (see `postMessageAttachment`); clients send it to other bots as a query attachment.
 */

import type { Attachment } from "../../protocol/attachment.js";
import { uploadBaseUrl } from "../../protocol/endpoints.js";
import { checkTimeoutMs, startDeadline } from "../deadline.js";
import { AttachmentUploadError, InvalidParameterError } from "../errors.js";
import { keyMasker } from "../mask-key.js";
import { nonEmpty, ownFileName, toBlob, type UploadFileInput, urlFileName } from "./file-input.js";
import { backoffDelay, isRetryableStatus, type RetryOptions, retryPolicy } from "./retry.js";
import { type FetchLike, readBodyText, resolveFetch } from "./transport.js";

export type { UploadFileInput } from "./file-input.js";

/**
 * Options of {@link uploadFile}. Give exactly one of `file` and `fileUrl`.
 * @example
 * const options: UploadFileOptions = { file: bytes, fileName: "a.txt", apiKey, retries: 3, maxBytes: 1e6 };
 */
export interface UploadFileOptions {
  /** The file's content. Streams are read to the end (within `maxBytes`) before anything is sent. */
  file?: UploadFileInput | null;
  /** A public URL Poe downloads the file from itself; nothing is downloaded here. */
  fileUrl?: string | URL | null;
  /**
   * The file's name. Required for bytes and for streams that carry no name; a `File`'s own name (or a
   * file stream's path) is used otherwise. For `fileUrl` it defaults to the last segment of the URL's path.
   */
  fileName?: string | null;
  /** The MIME type to send the content with; default the `Blob`'s own type, else Poe guesses. */
  contentType?: string | null;
  /**
   * The key the file API accepts: a Poe API key (https://poe.com/api_key) or, inside a bot, the bot's
   * access key. Sent as the raw `Authorization` header; never logged and never in an error message.
   */
  apiKey: string;
  /** The file API base; default `$POE_API_BASE_URL/poe_api/`, else `https://www.quora.com/poe_api/`. */
  baseUrl?: string | null;
  /** Extra request headers (a `content-type` here is ignored: the multipart body sets its own). */
  headers?: Record<string, string>;
  /** The `fetch` to call; default the global one (or the `poekit/testing` stand-in). */
  fetch?: FetchLike;
  /** Cancels the upload, including a wait between tries; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Tries in total (default 2) or retry options. Connection errors, timeouts and 408/429/5xx answers are
   * tried again, after `retry-after` when Poe sends one; other 4xx answers are not.
   */
  retries?: number | RetryOptions;
  /** How long one try may take, in ms; default 120 s. `Infinity` for no limit. */
  timeoutMs?: number;
  /** The largest file accepted, in bytes; default unlimited. Checked before sending and while reading. */
  maxBytes?: number;
}

/** The path of the upload endpoint under the file API base. */
const UPLOAD_PATH = "file_upload_3RD_PARTY_POST";
const DEFAULT_TIMEOUT_MS = 120_000;
/** How much of Poe's error body goes into an error message; the whole start is in `error.body`. */
const MESSAGE_BODY_CHARS = 500;

/**
 * Uploads a file to Poe's file API and returns it as an {@link Attachment} (with Poe's URL and the MIME
 * type Poe detected). Fails with {@link InvalidParameterError} before sending anything when the options
 * cannot work, and with {@link AttachmentUploadError} when Poe refuses the file or cannot be reached.
 * @example
 * const attachment = await uploadFile({
 *   file: await fs.promises.readFile("chart.png"),
 *   fileName: "chart.png",
 *   apiKey: process.env.POE_API_KEY ?? "",
 * });
 * console.log(attachment.url, attachment.content_type);
 * @example
 * // Poe downloads the file itself:
 * await uploadFile({ fileUrl: "https://example.com/report.pdf", apiKey });
 */
export async function uploadFile(options: UploadFileOptions): Promise<Attachment> {
  const apiKey = options.apiKey;
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new InvalidParameterError(
      "uploadFile needs `apiKey`: a Poe API key (https://poe.com/api_key), or inside a bot its access key " +
        "(from the bot's settings page on Poe).",
    );
  }
  const hasFile = options.file !== undefined && options.file !== null;
  const hasUrl = options.fileUrl !== undefined && options.fileUrl !== null && options.fileUrl !== "";
  if (hasFile === hasUrl) {
    throw new InvalidParameterError(
      hasFile
        ? "uploadFile takes either `file` or `fileUrl`, not both."
        : "uploadFile needs a `file` (its content) or a `fileUrl` (for Poe to download).",
    );
  }
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  if (!(maxBytes >= 0)) {
    throw new InvalidParameterError(
      `maxBytes must be a number of bytes, at least 0; got ${String(maxBytes)}.`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkTimeoutMs(timeoutMs);
  const policy = retryPolicy(options.retries);
  const signal = options.signal;
  signal?.throwIfAborted();

  let name: string;
  let form: () => FormData;
  if (hasUrl) {
    const fileUrl = String(options.fileUrl);
    if (!URL.canParse(fileUrl)) {
      throw new InvalidParameterError(`fileUrl must be an absolute URL Poe can download; got ${fileUrl}.`);
    }
    const given = nonEmpty(options.fileName);
    name = given ?? urlFileName(fileUrl) ?? "file";
    form = () => {
      const data = new FormData();
      data.append("download_url", fileUrl);
      if (given !== undefined) data.append("download_filename", given);
      return data;
    };
  } else {
    const file = options.file as UploadFileInput;
    const given = nonEmpty(options.fileName) ?? ownFileName(file);
    if (given === undefined) {
      throw new InvalidParameterError(
        "uploadFile needs `fileName` for this file: bytes and streams do not carry a name.",
      );
    }
    name = given;
    const blob = await toBlob(file, name, nonEmpty(options.contentType), maxBytes, signal);
    form = () => {
      const data = new FormData();
      data.append("file", blob, name);
      return data;
    };
  }

  const url = `${uploadBaseUrl(options.baseUrl)}${UPLOAD_PATH}`;
  const headers = new Headers(options.headers);
  headers.delete("content-type");
  headers.set("authorization", apiKey);
  headers.set("accept", "application/json");
  const fetch = resolveFetch(options.fetch);
  const redact = keyMasker(apiKey);

  for (let attempt = 1; ; attempt++) {
    const last = attempt >= policy.tries;
    const deadline = startDeadline(timeoutMs, signal);
    let response: Response;
    try {
      response = await fetch(url, { method: "POST", headers, body: form(), signal: deadline.signal });
    } catch (error) {
      deadline.clear();
      if (signal?.aborted) throw signal.reason;
      const timedOut = deadline.timedOut;
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : `could not reach ${url}`;
      const detail = error instanceof Error && !timedOut ? `: ${redact(error.message)}` : "";
      if (last) {
        throw new AttachmentUploadError(
          `Uploading ${name} failed: ${reason}${detail}.`,
          {},
          { cause: error },
        );
      }
      await policy.sleep(backoffDelay(policy, attempt) ?? 0, signal);
      continue;
    }

    if (response.ok) {
      try {
        return await readAttachment(response, name, redact, signal);
      } finally {
        deadline.clear();
      }
    }
    const body = redact(await readBodyText(response));
    deadline.clear();
    const failure = () =>
      new AttachmentUploadError(
        `Uploading ${name} failed: ${response.status} ${response.statusText}: ${excerpt(body)}`,
        { status: response.status, body },
      );
    if (last || !isRetryableStatus(response.status)) throw failure();
    const delay = backoffDelay(policy, attempt, response.headers.get("retry-after"));
    if (delay === undefined) throw failure();
    await policy.sleep(delay, signal);
  }
}

/** Reads Poe's 2xx answer: JSON with the hosted file's `attachment_url` and `mime_type`. */
async function readAttachment(
  response: Response,
  name: string,
  redact: (text: string) => string,
  signal: AbortSignal | undefined,
): Promise<Attachment> {
  let text: string;
  try {
    text = redact(await response.text());
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new AttachmentUploadError(
      `Uploading ${name} failed: the answer could not be read.`,
      { status: response.status },
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AttachmentUploadError(
      `Uploading ${name}: Poe answered ${response.status} but not with JSON: ${excerpt(text)}`,
      { status: response.status, body: text },
    );
  }
  const fields = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
  const missing = ["attachment_url", "mime_type"].filter((key) => typeof fields[key] !== "string");
  if (missing.length > 0) {
    throw new AttachmentUploadError(
      `Uploading ${name}: Poe's answer has no string ${missing.map((key) => `\`${key}\``).join(" or ")}: ` +
        excerpt(text),
      { status: response.status, body: text },
    );
  }
  return {
    url: fields.attachment_url as string,
    content_type: fields.mime_type as string,
    name,
    inline_ref: null,
    parsed_content: null,
  };
}

function excerpt(text: string): string {
  return text.length > MESSAGE_BODY_CHARS ? `${text.slice(0, MESSAGE_BODY_CHARS)}…` : text;
}
