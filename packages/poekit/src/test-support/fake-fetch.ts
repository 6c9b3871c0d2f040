import type { FetchLike } from "../core/poe-api/transport.js";
import { encodeEvent } from "../protocol/sse-encoder.js";

/** A fetch that never answers and ignores its signal, so only a deadline can end the call. */
export const hangingFetch: FetchLike = () => new Promise<Response>(() => undefined);

/** The error a promise rejects with; fails the test when it fulfils or rejects with a non-Error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error("expected the promise to reject");
}

/** A request as a fake fetch saw it. */
export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  signal: AbortSignal | undefined;
}

/** An SSE response made of `[event, data]` pairs (data JSON-encoded unless it is a string). */
export function sseResponse(
  events: ReadonlyArray<readonly [string, unknown]>,
  init: ResponseInit = {},
): Response {
  const text = events
    .map(([event, data]) =>
      typeof data === "string" ? `event: ${event}\r\ndata: ${data}\r\n\r\n` : encodeEvent(event, data),
    )
    .join("");
  return new Response(text, {
    status: 200,
    ...init,
    headers: { "content-type": "text/event-stream; charset=utf-8", ...init.headers },
  });
}

/**
 * A fetch that answers each query with the next reply (a Response, a thrown error, or a function of
 * the request) and records every request; `report_error` requests are recorded apart as `reports`.
 */
export function fakeFetch(
  replies: ReadonlyArray<Response | Error | ((request: SeenRequest) => Response | Promise<Response>)>,
): FetchLike & { requests: SeenRequest[]; reports: Array<Record<string, unknown>> } {
  const requests: SeenRequest[] = [];
  const reports: Array<Record<string, unknown>> = [];
  let next = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown>;
    const seen: SeenRequest = {
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body,
      signal: init?.signal ?? undefined,
    };
    if (body.type === "report_error") {
      reports.push(body);
      return new Response("{}", { headers: { "content-type": "application/json" } });
    }
    requests.push(seen);
    const reply = replies[Math.min(next++, replies.length - 1)];
    if (reply === undefined) throw new Error("fakeFetch: no reply scripted");
    if (reply instanceof Error) throw reply;
    return typeof reply === "function" ? reply(seen) : reply.clone();
  };
  return Object.assign(fetch, { requests, reports });
}
