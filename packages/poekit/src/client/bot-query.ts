import { BotError, HTTPError, PoeError, ProtocolError } from "../errors.js";
import { decodeSseStream, SseDecodeError, type SseEvent } from "../protocol/sse-decoder.js";
import { sendReportError } from "./report-error.js";
import { type BotMessage, ResponseReader, type Violation } from "./response-reader.js";
import { backoffDelay, isRetryableStatus, type RetryPolicy } from "./retry.js";
import { type FetchLike, readBodyText } from "./transport.js";

/** Called on every failed try and every protocol violation, with a sentence saying what happened. */
export type OnError = (error: Error, message: string) => void;

/** One query to one bot, fully resolved: what `streamRequest` hands to {@link queryBot}. */
export interface BotQuery {
  url: string;
  botName: string;
  /** The JSON body, serialized once for every try. */
  body: string;
  messageId: string;
  /** Whether the request offers tools (a model may then answer with tool calls and no text). */
  toolsSent: boolean;
  headers: Record<string, string>;
  fetch: FetchLike;
  signal: AbortSignal | undefined;
  policy: RetryPolicy;
  timeoutMs: number;
  maxEventBytes: number;
  reportErrors: boolean;
  onError: OnError;
}

/**
 * Calls a bot and yields its response, trying again (per the policy) on connection errors,
 * 408/429/5xx and retryable `error` events — but only while nothing has reached the caller, so
 * no output is ever repeated.
 */
export async function* queryBot(query: BotQuery): AsyncGenerator<BotMessage, void, undefined> {
  let delivered = false;
  for (let attempt = 1; ; attempt++) {
    try {
      for await (const message of queryOnce(query)) {
        delivered = true;
        yield message;
      }
      return;
    } catch (thrown) {
      if (query.signal?.aborted) throw query.signal.reason;
      // Failures of the call are PoeErrors by now; anything else is a bug, not worth a retry.
      if (!(thrown instanceof PoeError)) throw thrown;
      const error = thrown;
      query.onError(error, `Bot request to ${query.botName} failed on try ${attempt}`);
      if (delivered || attempt >= query.policy.tries || !isRetryable(error)) throw error;
      const delay = backoffDelay(
        query.policy,
        attempt,
        error instanceof HTTPError ? error.retryAfter : undefined,
      );
      if (delay === undefined) throw error;
      await query.policy.sleep(delay, query.signal);
    }
  }
}

async function* queryOnce(query: BotQuery): AsyncGenerator<BotMessage, void, undefined> {
  // Aborted on the way out: a caller that stops reading (break) ends the HTTP request.
  const stop = new AbortController();
  const signals = [stop.signal, AbortSignal.timeout(query.timeoutMs)];
  if (query.signal) signals.push(query.signal);
  try {
    let response: Response;
    try {
      response = await query.fetch(query.url, {
        method: "POST",
        headers: query.headers,
        body: query.body,
        signal: AbortSignal.any(signals),
      });
    } catch (thrown) {
      throw transportError(thrown, query);
    }
    await checkResponse(response, query);
    const reader = new ResponseReader({
      botName: query.botName,
      messageId: query.messageId,
      toolsSent: query.toolsSent,
    });
    const events = decodeSseStream(bodyChunks(response.body as ReadableStream<Uint8Array>, query), {
      maxEventBytes: query.maxEventBytes,
    });
    for await (const event of reportOversize(events, query)) {
      const result = reader.read(event);
      switch (result.type) {
        case "message":
          yield result.message;
          break;
        case "ignored":
          break;
        case "violation":
          await report(query, result.violation);
          break;
        case "fatal":
          await report(query, result.violation);
          throw result.error;
        case "done":
          if (result.violation) await report(query, result.violation);
          return;
      }
    }
    const ended = reader.endedWithoutDone();
    await report(query, ended.violation);
    throw ended.error;
  } finally {
    stop.abort();
  }
}

/** The body's chunks; a failed read (the connection broke, or timed out) becomes a PoeError here. */
async function* bodyChunks(body: ReadableStream<Uint8Array>, query: BotQuery): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    while (true) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (thrown) {
        throw transportError(thrown, query);
      }
      if (chunk.done) {
        finished = true;
        return;
      }
      yield chunk.value;
    }
  } finally {
    // Not awaited: a cloned body's cancel settles only once every branch is cancelled.
    if (!finished) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Passes events through; an event over the size limit is reported to the bot, then thrown. */
async function* reportOversize(events: AsyncIterable<SseEvent>, query: BotQuery): AsyncGenerator<SseEvent> {
  try {
    yield* events;
  } catch (error) {
    if (!(error instanceof SseDecodeError)) throw error;
    await report(query, {
      message: `Event larger than ${error.limit} bytes`,
      metadata: { message_id: query.messageId },
    });
    throw new ProtocolError(`Bot ${query.botName} sent an event that is too large: ${error.message}`, {
      botName: query.botName,
    });
  }
}

async function checkResponse(response: Response, query: BotQuery): Promise<void> {
  const contentType = response.headers.get("content-type") ?? "";
  if (response.ok && contentType.toLowerCase().startsWith("text/event-stream") && response.body) return;
  const body = await readBodyText(response);
  const details = {
    status: response.status,
    body,
    url: query.url,
    retryAfter: response.headers.get("retry-after") ?? undefined,
  };
  const excerpt = body ? `: ${body.length > 300 ? `${body.slice(0, 300)}…` : body}` : "";
  if (!response.ok) {
    throw new HTTPError(
      `Bot ${query.botName} answered HTTP ${response.status} ${response.statusText}${excerpt}`.trim(),
      details,
    );
  }
  throw new HTTPError(
    `Bot ${query.botName} answered with content type "${contentType || "none"}" instead of an event stream (text/event-stream)${excerpt}`,
    details,
  );
}

async function report(query: BotQuery, violation: Violation): Promise<void> {
  query.onError(
    new ProtocolError(violation.message, { botName: query.botName }),
    `Protocol error in the response of bot ${query.botName}: ${violation.message}`,
  );
  if (!query.reportErrors) return;
  await sendReportError({
    fetch: query.fetch,
    url: query.url,
    headers: query.headers,
    violation,
    signal: query.signal,
    onFailure: (error) =>
      query.onError(
        asError(error),
        `Could not send report_error to bot ${query.botName}: ${describe(error)}`,
      ),
  });
}

/** What a failed `fetch` or body read means, as one of ours. */
function transportError(thrown: unknown, query: BotQuery): unknown {
  // The caller's own abort is theirs to see as it is.
  if (query.signal?.aborted) return thrown;
  if (thrown instanceof PoeError) return thrown;
  if (isTimeout(thrown)) {
    return new BotError(
      `Bot ${query.botName} did not finish its response within ${Math.round(query.timeoutMs / 1000)} s.`,
      { botName: query.botName },
      { cause: thrown },
    );
  }
  return new ConnectionError(
    `Error communicating with bot ${query.botName}: ${describe(thrown)}`,
    query.botName,
    {
      cause: thrown,
    },
  );
}

/** The connection failed or broke; worth another try when nothing was delivered. */
class ConnectionError extends BotError {
  constructor(message: string, botName: string, options: ErrorOptions) {
    super(message, { botName }, options);
  }
}

function isRetryable(error: PoeError): boolean {
  if (error instanceof HTTPError) return isRetryableStatus(error.status);
  if (error instanceof ConnectionError) return true;
  if (error instanceof BotError) return error.allowRetry && !isTimeoutError(error);
  return false;
}

function isTimeoutError(error: BotError): boolean {
  return isTimeout(error.cause);
}

function isTimeout(thrown: unknown): boolean {
  return thrown instanceof DOMException && thrown.name === "TimeoutError";
}

/** "fetch failed (ECONNREFUSED)" rather than Node's bare "fetch failed". */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${error.message} (${String(detail)})` : error.message;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
