import { type Deadline, startDeadline } from "../core/deadline.js";
import { describeFailure } from "../core/describe-failure.js";
import { BotError, HTTPError, PoeError, ProtocolError } from "../core/errors.js";
import { keyMasker } from "../core/mask-key.js";
import { backoffDelay, isRetryableStatus, type RetryPolicy } from "../core/poe-api/retry.js";
import { type FetchLike, readBodyText } from "../core/poe-api/transport.js";
import { DataResponse, PartialResponse } from "../core/responses.js";
import { SseDecodeError, SseDecoder, type SseEvent } from "../protocol/sse-decoder.js";
import { MessageBatches } from "./message-batches.js";
import { sendReportError } from "./report-error.js";
import { type BotMessage, ResponseReader, type Verdict, type Violation } from "./response-reader.js";
import { formatDuration, SilenceError, type SilenceLimits, SilenceWatch } from "./silence-watch.js";

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
  /** How long each try may wait for headers, the first byte and every later one. */
  silence: SilenceLimits;
  maxEventBytes: number;
  reportErrors: boolean;
  onError: OnError;
}

/**
 * Calls a bot and yields its response, trying again (per the policy) on connection errors,
 * 408/429/5xx and retryable `error` events — but only while nothing has reached the caller, so
 * no output is ever repeated. The messages come in batches, one per run of messages in a chunk of
 * the body, handed out one by one by {@link MessageBatches}: a generator's `yield` per message cost
 * more than reading the message did.
 */
export function queryBot(query: BotQuery): AsyncGenerator<BotMessage, void, undefined> {
  return new MessageBatches(batches(query));
}

/**
 * The generator behind {@link queryBot}. A batch yielded is a message delivered: `MessageBatches`
 * asks for a batch only when the caller asks for a message, and hands out its first at once. The
 * work of a try lives in {@link Try}: a generator saves and restores its frame at every `yield`, so a
 * small frame makes each batch cheaper.
 */
async function* batches(query: BotQuery): AsyncGenerator<readonly BotMessage[], void, undefined> {
  let delivered = false;
  for (let attempt = 1; ; attempt++) {
    const current = new Try(query);
    let delay: number;
    try {
      await current.connect();
      while (true) {
        const item = current.next();
        if (item === null) return;
        if (item instanceof Promise) {
          await item;
        } else {
          delivered = true;
          yield item;
        }
      }
    } catch (caught) {
      const thrown = current.failure(caught);
      query.onError(thrown, `Bot request to ${query.botName} failed on try ${attempt}`);
      if (delivered || attempt >= query.policy.tries || !isRetryable(thrown)) throw thrown;
      const retryAfter = thrown instanceof HTTPError ? thrown.retryAfter : undefined;
      const wait = backoffDelay(query.policy, attempt, retryAfter);
      if (wait === undefined) throw thrown;
      delay = wait;
    } finally {
      current.close();
    }
    // Outside the try: the failed connection is released before the wait, not after it.
    await query.policy.sleep(delay, query.signal);
  }
}

/**
 * What reading an event gave besides a message, kept back until the messages before it are taken,
 * so that reports, errors and the end come when they did with one `yield` per message.
 */
type Held = Verdict | { type: "thrown"; error: unknown };

/** One try of a query: its deadline, its silence watch, and the reading of its response. */
class Try {
  readonly #query: BotQuery;
  // Cancelled on the way out: a caller that stops reading (break) ends the HTTP request.
  readonly #deadline: Deadline;
  readonly #watch: SilenceWatch;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  readonly #decoder: SseDecoder;
  readonly #responseReader: ResponseReader;
  readonly #reports: Reports;
  /** The events of the last chunk, read up to `#next`. */
  #events: SseEvent[] = [];
  #next = 0;
  /** The body has ended: once `#events` are read, the response ended without `done`. */
  #ended = false;
  /** The response is complete (`done`, and its reports settled). */
  #finished = false;
  /** Read, and to act on once the batch before it is taken. */
  #held: Held | undefined;

  constructor(query: BotQuery) {
    this.#query = query;
    this.#deadline = startDeadline(query.timeoutMs, query.signal);
    this.#watch = new SilenceWatch(query.silence, query.botName, (error) => {
      this.#deadline.cancel(error);
      // A body that ignores the abort still ends its pending read this way.
      this.#reader?.cancel(error).catch(() => undefined);
    });
    this.#decoder = new SseDecoder({ maxEventBytes: query.maxEventBytes });
    this.#responseReader = new ResponseReader({
      botName: query.botName,
      messageId: query.messageId,
      toolsSent: query.toolsSent,
    });
    this.#reports = new Reports(query);
  }

  async connect(): Promise<void> {
    const response = await connect(this.#query, this.#deadline);
    this.#watch.headersArrived();
    this.#reader = (response.body as ReadableStream<Uint8Array>).getReader();
  }

  /**
   * The next messages (the run of them up to the next event that is not one, at most to the end of
   * the chunk); or a promise to await before asking again (the next chunk is read, or the response's
   * reports settle before it ends or fails); or null once the response is complete. Throws
   * `BotError` for an `error` event.
   */
  next(): BotMessage[] | Promise<void> | null {
    const held = this.#held;
    if (held !== undefined) {
      this.#held = undefined;
      const settling = this.#settle(held);
      if (settling) return settling;
    }
    if (this.#finished) return null;
    const events = this.#events;
    let batch: BotMessage[] | undefined;
    while (this.#next < events.length) {
      let result: BotMessage | Verdict;
      try {
        result = this.#responseReader.read(events[this.#next++] as SseEvent);
      } catch (error) {
        if (batch === undefined) throw error;
        this.#held = { type: "thrown", error };
        return batch;
      }
      if (result instanceof PartialResponse || result instanceof DataResponse) {
        if (batch === undefined) batch = [result];
        else batch.push(result);
      } else if (result.type !== "ignored") {
        if (batch !== undefined) {
          this.#held = result;
          return batch;
        }
        const settling = this.#settle(result);
        if (settling) return settling;
      }
    }
    if (batch !== undefined) return batch;
    if (!this.#ended) return this.#read();
    const ended = this.#responseReader.endedWithoutDone();
    this.#reports.add(ended.violation);
    return this.#settleThenThrow(ended.error);
  }

  /** Acts on what an event gave besides a message: a promise for the end of the response or a failure. */
  #settle(held: Held): Promise<void> | undefined {
    switch (held.type) {
      case "thrown":
        throw held.error;
      case "violation":
        this.#reports.add(held.violation);
        return undefined;
      case "fatal":
        this.#reports.add(held.violation);
        return this.#settleThenThrow(held.error);
      case "done":
        if (held.violation) this.#reports.add(held.violation);
        return this.#finish();
      default:
        return undefined;
    }
  }

  /** What a failed try throws, as one of ours; anything else (a bug, the caller's abort) is rethrown. */
  failure(caught: unknown): PoeError {
    if (this.#query.signal?.aborted) throw this.#query.signal.reason;
    // Whatever the abort made the fetch or the body throw, the silence is what went wrong.
    const thrown = this.#watch.error ?? caught;
    // Failures of the call are PoeErrors by now; anything else is a bug, not worth a retry.
    if (!(thrown instanceof PoeError)) throw thrown;
    return thrown;
  }

  close(): void {
    this.#watch.stop();
    this.#deadline.cancel();
    this.#deadline.clear();
    // Not awaited: a cloned body's cancel settles only once every branch is cancelled.
    this.#reader?.cancel().catch(() => undefined);
  }

  async #read(): Promise<void> {
    const chunk = await readChunk(this.#reader as ReadableStreamDefaultReader<Uint8Array>, this.#query);
    if (this.#watch.error) throw this.#watch.error;
    this.#watch.bytesArrived();
    this.#events = await decode(this.#decoder, chunk, this.#query, this.#reports);
    this.#next = 0;
    this.#ended = !chunk;
  }

  async #finish(): Promise<void> {
    await this.#reports.settled();
    this.#finished = true;
  }

  async #settleThenThrow(error: Error): Promise<never> {
    await this.#reports.settled();
    throw error;
  }
}

/** Reports to one bot about one response. */
const MAX_REPORTS_PER_RESPONSE = 10;

/**
 * The `report_error`s of one response: sent in the background, so that delivery never waits for
 * them, each distinct message once and at most {@link MAX_REPORTS_PER_RESPONSE}; awaited when the
 * response ends, so none is still in flight when the caller's loop is over.
 */
class Reports {
  readonly #pending: Promise<void>[] = [];
  readonly #sent = new Set<string>();

  constructor(private readonly query: BotQuery) {}

  add(violation: Violation): void {
    if (this.#sent.has(violation.message) || this.#sent.size >= MAX_REPORTS_PER_RESPONSE) return;
    this.#sent.add(violation.message);
    // A throwing onError must not become an unhandled rejection.
    this.#pending.push(report(this.query, violation).catch(() => undefined));
  }

  async settled(): Promise<void> {
    await Promise.all(this.#pending);
  }
}

/** Sends the request; answers that are not an event stream throw `HTTPError`. */
async function connect(query: BotQuery, deadline: Deadline): Promise<Response> {
  let response: Response;
  let sent: Promise<Response> | undefined;
  try {
    sent = query.fetch(query.url, {
      method: "POST",
      headers: query.headers,
      body: query.body,
      signal: deadline.signal,
    });
    // Raced, so that a fetch which ignores its signal still gives up when the deadline aborts.
    response = await deadline.race(sent);
  } catch (thrown) {
    // An answer that comes after all is not read: release its connection.
    sent?.then(
      (late) => late.body?.cancel().catch(() => undefined),
      () => undefined,
    );
    throw transportError(thrown, query);
  }
  await checkResponse(response, query);
  return response;
}

/** The next chunk of the body, or undefined at its end; a failed read (a broken connection) is ours. */
async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  query: BotQuery,
): Promise<Uint8Array | undefined> {
  try {
    const { done, value } = await reader.read();
    return done ? undefined : value;
  } catch (thrown) {
    throw transportError(thrown, query);
  }
}

/** Decodes a chunk (or the end); an event over the size limit is reported to the bot, then thrown. */
async function decode(
  decoder: SseDecoder,
  chunk: Uint8Array | undefined,
  query: BotQuery,
  reports: Reports,
): Promise<SseEvent[]> {
  try {
    return chunk ? decoder.push(chunk) : decoder.end();
  } catch (error) {
    if (!(error instanceof SseDecodeError)) throw error;
    reports.add({
      message: `Event larger than ${error.limit} bytes`,
      metadata: { message_id: query.messageId },
    });
    await reports.settled();
    throw new ProtocolError(`Bot ${query.botName} sent an event that is too large: ${error.message}`, {
      botName: query.botName,
    });
  }
}

async function checkResponse(response: Response, query: BotQuery): Promise<void> {
  const contentType = response.headers.get("content-type") ?? "";
  if (response.ok && contentType.toLowerCase().startsWith("text/event-stream") && response.body) return;
  // A careless server may echo the request's Authorization header in its error page.
  const body = keyMasker(bearerKey(query.headers))(await readBodyText(response));
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
        `Could not send report_error to bot ${query.botName}: ${describeFailure(error)}`,
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
      `Bot ${query.botName} did not finish its response within ${formatDuration(query.timeoutMs)}.`,
      { botName: query.botName },
      { cause: thrown },
    );
  }
  return new ConnectionError(
    `Error communicating with bot ${query.botName}: ${describeFailure(thrown)}`,
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
  if (error instanceof ConnectionError || error instanceof SilenceError) return true;
  if (error instanceof BotError) return error.allowRetry && !isTimeout(error.cause);
  return false;
}

function isTimeout(thrown: unknown): boolean {
  return thrown instanceof DOMException && thrown.name === "TimeoutError";
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** The key an `Authorization: Bearer <key>` header among `headers` carries, whatever its case. */
function bearerKey(headers: Record<string, string>): string | undefined {
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === "authorization")?.[1];
  return value?.match(/^\s*bearer\s+(\S+)\s*$/i)?.[1];
}
