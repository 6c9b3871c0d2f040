import { HTTPError } from "../core/errors.js";
import { silentLogger } from "../core/logger.js";
import { emptyAnswer, foldAnswer } from "../protocol/answer-fold.js";
import {
  buildQueryRequest,
  type QueryMessageInput,
  type QueryRequestParts,
} from "../protocol/build-query-request.js";
import { KEEP_ALIVE, ResponseSequence } from "../protocol/event-rules.js";
import { makeIdentifier } from "../protocol/identifiers.js";
import type { ErrorEventData, FileEventData, MetaEventData } from "../protocol/response-events.js";
import type { SettingsResponse } from "../protocol/settings-response.js";
import { decodeSseStream, SseDecoder, type SseEvent } from "../protocol/sse-decoder.js";
import { PROTOCOL_VERSION } from "../protocol/version.js";
import { isPoeBot } from "../server/bot-brand.js";
import { type MakeAppOptions, makeApp } from "../server/make-app.js";
import type { PoeApp } from "../server/poe-app.js";
import type { PoeBot } from "../server/poe-bot.js";

/** One event of a bot's response, its data parsed as JSON (kept as the raw string when it is not JSON). */
export interface TestEvent {
  event: string;
  data: unknown;
}

/** A message as a test writes it: a string is a user message. */
export type TestMessage = QueryMessageInput;

/** A query request as a test writes it: every field optional; the client fills the rest. */
export type TestQueryRequestInit = QueryRequestParts;

/** What `query` and `stream` take: one user message, a conversation, or (part of) a request. */
export type TestQueryInput = string | readonly TestMessage[] | TestQueryRequestInit;

/**
 * A bot's answer to one query, read to the end and summed up the way Poe would show it: an event that
 * breaks a rule of the protocol (bad data, a late `meta`, anything after `done`) is left out of the
 * summary, as Poe leaves it out; `events` has every event.
 */
export interface TestResponse {
  /** The HTTP status. */
  status: number;
  headers: Headers;
  /** Every event in order, `done` included. Empty when the status is not 200. */
  events: TestEvent[];
  /** The answer as Poe shows it: `text` events appended, `replace_response` starting it over. */
  text: string;
  /** The texts of the `suggested_reply` events. */
  suggestedReplies: string[];
  /** The data of the `file` events. */
  files: FileEventData[];
  /** The data of the `meta` event, when it was the first event (Poe ignores a later one); else null. */
  meta: MetaEventData | null;
  /** The `metadata` of the last `data` event (what Poe keeps with the message), or null. */
  data: string | null;
  /** The data of the first `error` event, or null. */
  error: ErrorEventData | null;
  /** Whether the response ended properly: a `done`, and no event after it. */
  done: boolean;
  /** The response body as received (the SSE text, or the error body). */
  raw: string;
  /** The body of an answer that is not an event stream (e.g. a 400's `{ detail }`), parsed as JSON when it is JSON; else null. */
  body: unknown;
}

/** Options of {@link createTestClient}. */
export interface TestClientOptions {
  /** The path of the bot to talk to; default the first bot's path. */
  path?: string;
  /**
   * Sent as `Authorization: Bearer <accessKey>`. Default: the served bot's own key when it has one (as
   * Poe does); `null` sends no Authorization header.
   */
  accessKey?: string | null;
  /** Headers added to every request (they win over `accessKey`). */
  headers?: Record<string, string>;
  /**
   * Options of the app built for bots; default `{ allowWithoutKey: true, logger: silentLogger, env: {} }`
   * (so `POE_ACCESS_KEY` of the environment is not picked up). Ignored when a `PoeApp` is given.
   */
  app?: MakeAppOptions;
  /** The `user_id` of every request; default a new identifier per client. */
  userId?: string;
  /** The `conversation_id` of every request; default a new identifier per client. */
  conversationId?: string;
}

/** What `feedback` sends. */
export interface TestFeedback {
  messageId: string;
  feedbackType: "like" | "dislike" | (string & {});
  userId?: string;
  conversationId?: string;
}

/** What `reaction` sends. */
export interface TestReaction {
  messageId: string;
  reaction: string;
  userId?: string;
  conversationId?: string;
}

/** What `reportError` sends. */
export interface TestReportError {
  message: string;
  metadata?: Record<string, unknown>;
}

/** The answer to a report: Poe ignores the body, but a test may look. */
export interface TestReportResult {
  status: number;
  body: unknown;
}

/** A client that talks to a bot server in-process, as Poe would, for tests. */
export interface TestClient {
  /** The app the client calls. */
  readonly app: PoeApp;
  /** The path of the bot it talks to. */
  readonly path: string;
  readonly userId: string;
  readonly conversationId: string;
  /**
   * Sends a query and reads the whole answer. Never throws for an HTTP error: look at `status` and `body`.
   * `overrides` replace fields of the request (`message_id`, `temperature`, …).
   */
  query(input: TestQueryInput, overrides?: TestQueryRequestInit): Promise<TestResponse>;
  /**
   * Sends a query and yields its events as they arrive. Stopping early (`break`) disconnects, which
   * stops the bot. Throws {@link HTTPError} when the answer is not an event stream.
   */
  stream(input: TestQueryInput, overrides?: TestQueryRequestInit): AsyncIterable<TestEvent>;
  /** Asks for the bot's settings. Throws {@link HTTPError} when the answer is not 200. */
  settings(): Promise<SettingsResponse>;
  /** Reports a like or dislike, as Poe does. */
  feedback(feedback: TestFeedback): Promise<TestReportResult>;
  /** Reports a reaction, as Poe does. */
  reaction(reaction: TestReaction): Promise<TestReportResult>;
  /** Reports a protocol error in a response, as Poe does. */
  reportError(report: TestReportError): Promise<TestReportResult>;
}

const ORIGIN = "http://poekit.test";
const SSE_TYPE = "text/event-stream";

/**
 * A client for a bot's own tests: it calls the bot's fetch handler in-process (no sockets), fills in
 * what Poe would send, and sums up the answer. Give it a bot, several bots (choose one with `path`),
 * or an app from `makeApp`.
 * @example
 * const client = createTestClient(new EchoBot());
 * const response = await client.query("Hello");
 * expect(response.text).toBe("Hello");
 * expect(response.done).toBe(true);
 */
export function createTestClient(
  botOrApp: PoeBot | readonly PoeBot[] | PoeApp,
  options: TestClientOptions = {},
): TestClient {
  const app = isApp(botOrApp)
    ? botOrApp
    : makeApp(botOrApp, {
        allowWithoutKey: true,
        logger: silentLogger,
        env: {},
        syncSettings: false,
        ...options.app,
      });
  const path = options.path ?? firstPath(app);
  const userId = options.userId ?? makeIdentifier("u");
  const conversationId = options.conversationId ?? makeIdentifier("c");

  function headers(): Headers {
    const key = options.accessKey === undefined ? (app.bots.get(path)?.accessKey ?? null) : options.accessKey;
    const headers = new Headers({ "content-type": "application/json" });
    if (key) headers.set("authorization", `Bearer ${key}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    return headers;
  }

  function post(body: unknown): Promise<Response> {
    return app.fetch(
      new Request(`${ORIGIN}${path}`, { method: "POST", headers: headers(), body: JSON.stringify(body) }),
    );
  }

  function queryBody(input: TestQueryInput, overrides: TestQueryRequestInit = {}): Record<string, unknown> {
    const init: TestQueryRequestInit =
      typeof input === "string" ? { query: [input] } : isMessageList(input) ? { query: input } : input;
    return buildQueryRequest({ user_id: userId, conversation_id: conversationId, ...init, ...overrides });
  }

  /** The ids a feedback or reaction report carries: the message's, and the client's own by default. */
  function about(report: { messageId: string; userId?: string; conversationId?: string }) {
    return {
      message_id: report.messageId,
      user_id: report.userId ?? userId,
      conversation_id: report.conversationId ?? conversationId,
    };
  }

  async function report(body: Record<string, unknown>): Promise<TestReportResult> {
    const response = await post({ version: PROTOCOL_VERSION, ...body });
    return { status: response.status, body: parseJson(await response.text()) };
  }

  return {
    app,
    path,
    userId,
    conversationId,
    async query(input, overrides) {
      return summarize(await post(queryBody(input, overrides)));
    },
    async *stream(input, overrides) {
      const response = await post(queryBody(input, overrides));
      if (!isEventStream(response)) throw await httpError(response, "The query", `${ORIGIN}${path}`);
      if (!response.body) return;
      for await (const event of decodeSseStream(response.body)) yield toTestEvent(event);
    },
    async settings() {
      const response = await post({ version: PROTOCOL_VERSION, type: "settings" });
      if (response.status !== 200) {
        throw await httpError(response, "The settings request", `${ORIGIN}${path}`);
      }
      return (await response.json()) as SettingsResponse;
    },
    feedback(feedback) {
      return report({ type: "report_feedback", ...about(feedback), feedback_type: feedback.feedbackType });
    },
    reaction(reaction) {
      return report({ type: "report_reaction", ...about(reaction), reaction: reaction.reaction });
    },
    reportError(error) {
      return report({ type: "report_error", message: error.message, metadata: error.metadata ?? {} });
    },
  };
}

function isApp(value: PoeBot | readonly PoeBot[] | PoeApp): value is PoeApp {
  return !isPoeBot(value) && !Array.isArray(value);
}

function firstPath(app: PoeApp): string {
  const first = app.bots.keys().next();
  return first.done ? "/" : first.value;
}

function isMessageList(
  input: readonly TestMessage[] | TestQueryRequestInit,
): input is readonly TestMessage[] {
  return Array.isArray(input);
}

function isEventStream(response: Response): boolean {
  return response.status === 200 && (response.headers.get("content-type") ?? "").startsWith(SSE_TYPE);
}

async function httpError(response: Response, what: string, url: string): Promise<HTTPError> {
  const body = await response.text();
  return new HTTPError(`${what} was answered with HTTP ${response.status}: ${body}`, {
    status: response.status,
    body,
    url,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toTestEvent(event: SseEvent): TestEvent {
  return { event: event.event, data: parseJson(event.data) };
}

async function summarize(response: Response): Promise<TestResponse> {
  const raw = await response.text();
  const result: TestResponse = {
    status: response.status,
    headers: response.headers,
    events: [],
    text: "",
    suggestedReplies: [],
    files: [],
    meta: null,
    data: null,
    error: null,
    done: false,
    raw,
    body: null,
  };
  if (!isEventStream(response)) {
    result.body = raw === "" ? null : parseJson(raw);
    return result;
  }
  const decoder = new SseDecoder();
  const sseEvents = [...decoder.push(raw), ...decoder.end()];
  result.events = sseEvents.map(toTestEvent);
  const sequence = new ResponseSequence();
  const answer = emptyAnswer();
  for (const sse of sseEvents) {
    const event = sequence.read(sse);
    if (event === KEEP_ALIVE || "rule" in event) continue;
    foldAnswer(answer, event);
    if (event.event === "meta") result.meta = event.data;
  }
  result.text = answer.content;
  result.suggestedReplies = answer.suggestedReplies;
  result.files = answer.files;
  result.data = answer.metadata;
  result.error = answer.error;
  result.done = sequence.done && sequence.eventsAfterDone === 0;
  return result;
}
