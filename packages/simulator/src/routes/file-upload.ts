import { Hono } from "hono";
import { contentTypeFor } from "../attachments/content-type.js";
import type { SimulatorContext } from "../context.js";
import { linkSignals } from "../linked-signal.js";
import { readCappedBody } from "../query/read-capped-body.js";
import { clip, describeFailure } from "../query/violation-messages.js";
import { accessKeyFrom } from "./access-key.js";
import { ApiError } from "./api-error.js";
import { MAX_UPLOAD_BYTES, safeName } from "./api-uploads.js";

/** How long fetching a `download_url` may take, body included. */
export const DOWNLOAD_TIMEOUT_MS = 30_000;

const MAX_MB = MAX_UPLOAD_BYTES / (1024 * 1024);

/** A file to store, from the request or from the web. */
interface Incoming {
  name: string;
  declaredType: string | undefined;
  data: Uint8Array;
}

/**
 * `POST /poe_api/file_upload_3RD_PARTY_POST`: Poe's file API, which `uploadFile` and
 * `postMessageAttachment` call. The `Authorization` header holds a registered bot's access key (raw,
 * as Poe expects; `Bearer <key>` works too). The form carries either a `file` part or a `download_url`
 * (with an optional `download_filename`) that the simulator fetches itself; files up to 50 MB. Answers
 * `{"attachment_url", "mime_type"}` with a signed, expiring URL of the stored file.
 *
 * Paths are absolute: mount with `app.route("/", fileUploadRoutes(context))`.
 *
 * @example
 * app.route("/", fileUploadRoutes(context));
 * // a bot then runs: await uploadFile({ file: bytes, fileName: "a.png", apiKey, baseUrl: `${origin}/poe_api/` })
 */
export function fileUploadRoutes(context: SimulatorContext): Hono {
  const app = new Hono();

  app.post("/poe_api/file_upload_3RD_PARTY_POST", async (c) => {
    const key = accessKeyFrom(c.req.header("authorization"));
    if (!key || !context.registry.findByAccessKey(key)) {
      return c.json(
        {
          detail:
            "The Authorization header must hold the access key of a bot registered in the simulator with its key (--bot NAME=URL#KEY).",
        },
        401,
      );
    }

    const contentType = c.req.header("content-type")?.toLowerCase() ?? "";
    if (
      !contentType.startsWith("multipart/form-data") &&
      !contentType.startsWith("application/x-www-form-urlencoded")
    ) {
      throw new ApiError(
        415,
        'Send the upload as multipart/form-data with a "file" part, or a form with a "download_url".',
      );
    }
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new ApiError(400, "The form data could not be read; it is malformed or cut short.");
    }
    const file = form.get("file");
    const downloadUrl = form.get("download_url");
    if (file !== null && downloadUrl !== null) {
      throw new ApiError(400, 'Send either a "file" or a "download_url", not both.');
    }

    let incoming: Incoming;
    if (file !== null) {
      if (!(file instanceof File))
        throw new ApiError(400, 'The "file" field must be a file part (with a filename).');
      if (file.size > MAX_UPLOAD_BYTES) throw new ApiError(413, `Files are limited to ${MAX_MB} MB.`);
      incoming = { name: file.name, declaredType: file.type, data: new Uint8Array(await file.arrayBuffer()) };
    } else if (typeof downloadUrl === "string" && downloadUrl !== "") {
      const filename = form.get("download_filename");
      // Nobody waits for the file any more once the bot hung up or the simulator closes.
      const linked = linkSignals(c.req.raw.signal, context.tasks.signal);
      incoming = await download(
        downloadUrl,
        typeof filename === "string" && filename !== "" ? filename : null,
        linked.signal,
      ).finally(linked.release);
    } else {
      throw new ApiError(400, 'The form has neither a "file" part nor a "download_url".');
    }

    const name = safeName(incoming.name);
    const stored = context.store.files.put({
      name,
      contentType: contentTypeFor(name, incoming.declaredType),
      data: incoming.data,
    });
    return c.json({
      attachment_url: `${context.origin()}${context.fileUrls.pathFor(stored)}`,
      mime_type: stored.contentType,
    });
  });

  return app;
}

/** Fetches `url` as Poe does for `download_url`: http(s) only, within the size and time limits. */
async function download(url: string, filename: string | null, signal: AbortSignal): Promise<Incoming> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ApiError(400, `download_url is not a URL: ${clip(url, 200)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ApiError(400, `download_url must be an http:// or https:// URL, got ${parsed.protocol}`);
  }
  const shown = clip(parsed.href, 200);
  try {
    const response = await fetch(parsed, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]),
      redirect: "follow",
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new ApiError(400, `Downloading ${shown} failed: it answered HTTP ${response.status}.`);
    }
    const data = await readCappedBody(response, MAX_UPLOAD_BYTES);
    if (data === null) {
      throw new ApiError(400, `Downloading ${shown} failed: the file is larger than ${MAX_MB} MB.`);
    }
    return {
      name: filename ?? nameFromUrl(parsed),
      declaredType: response.headers.get("content-type") ?? undefined,
      data,
    };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    const reason = timedOut
      ? `no complete answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`
      : describeFailure(error);
    throw new ApiError(400, `Downloading ${shown} failed: ${reason}.`);
  }
}

/** The last segment of the URL's path, decoded; Poe's fallback name otherwise. */
function nameFromUrl(url: URL): string {
  const segment = url.pathname.split("/").pop() ?? "";
  try {
    return decodeURIComponent(segment) || "downloaded_file";
  } catch {
    return segment || "downloaded_file";
  }
}
