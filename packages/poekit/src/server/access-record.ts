import { isoTime } from "../core/iso-time.js";
import type { LogCore } from "../core/log-core.js";
import type { LogFields } from "../core/log-fields.js";
import type { Logger } from "../core/logger.js";
import type { SignalSource } from "../core/query-signals.js";
import type { Incoming } from "./incoming.js";
import type { LazyAbort } from "./lazy-abort.js";

/**
 * How a request ended. `done`: answered in full. `error`: the response carried an `error` event (the
 * bot failed or sent one), or a settings or report hook failed (500). `client_gone`: the client left
 * before `done`. `timeout`: the response went over Poe's time limit and was stopped (`strictLimits`).
 * `limit`: it went over another of Poe's limits and was stopped. `shutdown`: the server was stopping
 * and ended it. `rejected`: answered 4xx (no such bot, a wrong key, a malformed body).
 */
export type RequestOutcome = "done" | "error" | "client_gone" | "timeout" | "limit" | "shutdown" | "rejected";

/**
 * What one request did, as the access log writes it and `onRequestEnd` receives it. Never what a user
 * wrote, never a key. Times are milliseconds from when the request reached the app.
 */
export interface RequestRecord {
  /** When the request reached the app, as an ISO 8601 time. */
  startedAt: string;
  /** The `x-request-id` header when the client sent a plain one, else one made by the app. */
  requestId: string;
  method: string;
  path: string;
  /** The bot's `botName`, else its class name; absent when no bot is served at the path. */
  bot?: string;
  /** The request's `type` (`query`, `settings`, `report_feedback`...), once its body was read. */
  type?: string;
  status: number;
  /** Poe's ids of the conversation and message, when the request carries them. */
  conversationId?: string;
  messageId?: string;
  /** For a query: when the first event was written. */
  firstByteMs?: number;
  /** When the response ended (`done` written, or the client gone). */
  durationMs: number;
  /** For a query: events the bot sent, and characters of text in its answer. */
  events?: number;
  characters?: number;
  outcome: RequestOutcome;
  /** Calls to Poe made while answering: `streamRequest`, `authorizeCost`, `captureCost`. */
  upstreamCalls: number;
}

/** What a query's stream tells the record when it ends (QueryStream has these). */
export interface StreamFigures {
  readonly outcome: RequestOutcome;
  /** `performance.now()` when the first event was written; 0 if none was. */
  readonly firstByteAt: number;
  readonly monitor: { readonly sentEvents: number; readonly sentCharacters: number };
}

/** Where an app sends its records: its log and its `onRequestEnd`. */
export interface RecordSink {
  readonly log: LogCore;
  /** Whether anyone takes records (access log or hook); when not, none is built. */
  readonly recording: boolean;
  take(record: RequestRecord): void;
  /** The id of a request, given the `x-request-id` it came with. */
  requestId(given: string | null): string;
}

const now = () => performance.now();
const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * One request as the app sees it while answering: its ids (for every log record made meanwhile), the
 * upstream calls made for it, and, when it ends, its {@link RequestRecord}. It is the query's
 * {@link SignalSource}, so `streamRequest` finds both the signal and the counter with one lookup.
 * @internal
 */
export class RequestObservation implements SignalSource {
  upstreamCalls = 0;
  bot: string | undefined = undefined;
  type: string | undefined = undefined;
  conversationId: string | undefined = undefined;
  messageId: string | undefined = undefined;
  /** Set for a query: its answer is a stream, recorded when the stream ends. */
  abort: LazyAbort | undefined = undefined;
  // Read only when records are kept: a request no one records costs this object and nothing more.
  private readonly started: number;
  private readonly startedAtMs: number;
  private ended = false;
  #requestId: string | undefined;
  #logger: Logger | undefined;

  constructor(
    private readonly sink: RecordSink,
    private readonly incoming: Incoming,
  ) {
    this.started = sink.recording ? now() : 0;
    this.startedAtMs = sink.recording ? Date.now() : 0;
  }

  /** Made when first read (a log record or the request's record). */
  get requestId(): string {
    this.#requestId ??= this.sink.requestId(this.incoming.header("x-request-id"));
    return this.#requestId;
  }

  get method(): string {
    return this.incoming.method;
  }

  get path(): string {
    return this.incoming.path;
  }

  get signal(): AbortSignal {
    return (this.abort as LazyAbort).signal;
  }

  /** The app's logger, each record carrying this request's ids. */
  get logger(): Logger {
    this.#logger ??= this.sink.log.bind(() => this.fields());
    return this.#logger;
  }

  /** Notes the ids a parsed request carries. */
  identify(type: string, parsed: object): void {
    const request = parsed as { conversation_id?: unknown; message_id?: unknown };
    this.type = type;
    if (typeof request.conversation_id === "string") this.conversationId = request.conversation_id;
    if (typeof request.message_id === "string") this.messageId = request.message_id;
  }

  /** The ids every record made for this request carries. */
  fields(): LogFields {
    return {
      requestId: this.requestId,
      bot: this.bot,
      type: this.type,
      conversationId: this.conversationId,
      messageId: this.messageId,
    };
  }

  /** The request has been answered with `status`; `stream` when it was a query's stream. Once. */
  end(status: number, stream?: StreamFigures): void {
    if (this.ended || !this.sink.recording) return;
    this.ended = true;
    const record: RequestRecord = {
      startedAt: isoTime(this.startedAtMs),
      requestId: this.requestId,
      method: this.method,
      path: this.path,
      bot: this.bot,
      type: this.type,
      status,
      conversationId: this.conversationId,
      messageId: this.messageId,
      firstByteMs: undefined,
      durationMs: round(now() - this.started),
      events: undefined,
      characters: undefined,
      outcome: status >= 500 ? "error" : status >= 400 ? "rejected" : "done",
      upstreamCalls: this.upstreamCalls,
    };
    if (stream !== undefined) {
      if (stream.firstByteAt !== 0) record.firstByteMs = round(stream.firstByteAt - this.started);
      record.events = stream.monitor.sentEvents;
      record.characters = stream.monitor.sentCharacters;
      record.outcome = stream.outcome;
    }
    this.sink.take(record);
  }
}
