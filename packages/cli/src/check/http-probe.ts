import type { ReceivedResponse, SentRequest } from "./check-result.js";
import { FRESH_CONNECTION } from "./fresh-connection.js";
import { clip } from "./make-result.js";

/** How much of a request body a report shows. */
export const SHOWN_BODY_CHARS = 240;
/** How much of a response body a report shows. */
const SHOWN_RESPONSE_CHARS = 1_000;
/** How long to read a body once the headers are in: an answer that streams on is not waited for. */
const BODY_WAIT_MS = 2_000;

/** A plain request (not a graded query): how to send it. */
export interface PlainRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** How long to wait for the response headers. */
  timeoutMs: number;
  /** The most of the body that is read; default 64 KiB. */
  maxBytes?: number;
}

/** A plain request sent and what came back. */
export interface PlainProbe {
  request: SentRequest;
  response: ReceivedResponse;
  /** The status, or null when no response arrived (`response.error` says why). */
  status: number | null;
  headers: Headers | null;
  /** The body as read: whole when `complete`, else its start. */
  text: string;
  complete: boolean;
  durationMs: number;
}

/**
 * Sends one request and reads its answer, bounded in time and size. Never throws for what the server
 * does: a failure is described in `response.error`.
 * @example
 * const probe = await sendPlain({ method: "GET", url, headers: {}, timeoutMs: 30_000 });
 * if (probe.status === 200) console.log(probe.text);
 */
export async function sendPlain(plain: PlainRequest): Promise<PlainProbe> {
  const headers = { ...plain.headers, ...FRESH_CONNECTION };
  const request: SentRequest = {
    method: plain.method,
    url: plain.url,
    headers,
    ...(plain.body !== undefined && { body: clip(plain.body, SHOWN_BODY_CHARS) }),
  };
  const controller = new AbortController();
  const started = performance.now();
  let timer = setTimeout(() => controller.abort(), plain.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(plain.url, {
        method: plain.method,
        headers,
        ...(plain.body !== undefined && { body: plain.body }),
        // Poe does not follow redirects either: a 3xx is the answer.
        redirect: "manual",
        signal: controller.signal,
      });
    } catch (error) {
      const reason = controller.signal.aborted
        ? `no answer within ${plain.timeoutMs / 1000} s`
        : describeError(error);
      return {
        request,
        response: { status: null, contentType: null, error: reason },
        status: null,
        headers: null,
        text: "",
        complete: false,
        durationMs: performance.now() - started,
      };
    }
    clearTimeout(timer);
    const contentType = response.headers.get("content-type");
    if (contentType?.toLowerCase().startsWith("text/event-stream")) {
      // A stream accepted where only the status matters (the query checks read streams themselves).
      await response.body?.cancel().catch(() => undefined);
      return {
        request,
        response: { status: response.status, contentType, body: "(an event stream, not read)" },
        status: response.status,
        headers: response.headers,
        text: "",
        complete: false,
        durationMs: performance.now() - started,
      };
    }
    timer = setTimeout(() => controller.abort(), BODY_WAIT_MS);
    const { text, complete } = await readText(response, plain.maxBytes ?? 64 * 1024);
    return {
      request,
      response: {
        status: response.status,
        contentType,
        body: clip(text, SHOWN_RESPONSE_CHARS),
        ...(!complete && { error: "the body was not read to its end" }),
      },
      status: response.status,
      headers: response.headers,
      text,
      complete,
      durationMs: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The body as text, read until it ends, `maxBytes` are in, or the read is aborted. */
async function readText(response: Response, maxBytes: number): Promise<{ text: string; complete: boolean }> {
  if (!response.body) return { text: "", complete: true };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), complete: true };
      size += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (size > maxBytes) return { text, complete: false };
    }
  } catch {
    return { text, complete: false };
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/**
 * Why a request failed, with the network error's code when there is one.
 * @example
 * describeError(error); // "fetch failed: ECONNREFUSED"
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : null;
  return detail === null || error.message.includes(detail) ? error.message : `${error.message}: ${detail}`;
}
