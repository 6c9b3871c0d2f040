import {
  applyEvent,
  createAnswer,
  type ExchangeLimits,
  type ExchangeOutcome,
  runExchange,
} from "@poekit/simulator/exchange";
import type { ReceivedEvent, ReceivedResponse, SentRequest } from "./check-result.js";
import { FRESH_CONNECTION, freshFetch } from "./fresh-connection.js";
import { SHOWN_BODY_CHARS } from "./http-probe.js";
import { clip } from "./make-result.js";

/** How many events (and comments) of a response a report shows. */
const SHOWN_EVENTS = 20;
/** How much of an event's data a report shows. */
const SHOWN_DATA_CHARS = 200;

/** Where a query goes and how it is graded. */
export interface QueryTarget {
  url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  key: string;
  limits: Partial<ExchangeLimits>;
}

/** One query sent as Poe sends it, graded by the simulator's exchange, with what the checks need. */
export interface QueryProbe {
  request: SentRequest;
  response: ReceivedResponse;
  outcome: ExchangeOutcome;
  /** Milliseconds after the request when the response headers arrived, or null. */
  responseAtMs: number | null;
  /** When each event (keep-alives excluded) arrived, in milliseconds after the request. */
  eventTimes: number[];
  /** When each keep-alive (a comment line, or an old-style `ping` event) arrived. */
  keepAliveTimes: number[];
  /** When the response ended: at `done`, else when reading stopped. */
  endedAtMs: number;
  /** Whether the answer has content (text, a replacement or an error) in good order. */
  sawContent: boolean;
  /** The text of the error event that answered, or null when none did. */
  errorText: string | null;
  durationMs: number;
}

/**
 * Sends `body` to the bot with `runExchange`, as Poe would, and keeps what the checks grade: the
 * outcome with its violations, the first events, and when everything arrived.
 * @example
 * const probe = await sendQuery({ url, key, limits: {} }, normalQuery());
 * probe.outcome.completed; // true for a good bot
 */
export async function sendQuery(target: QueryTarget, body: Record<string, unknown>): Promise<QueryProbe> {
  const payload = JSON.stringify(body);
  const request: SentRequest = {
    method: "POST",
    url: target.url,
    headers: {
      "content-type": "application/json",
      accept: "text/event-stream",
      authorization: `Bearer ${target.key}`,
      ...FRESH_CONNECTION,
    },
    body: clip(payload, SHOWN_BODY_CHARS),
  };
  const events: ReceivedEvent[] = [];
  const eventTimes: number[] = [];
  const keepAliveTimes: number[] = [];
  let responseAtMs: number | null = null;
  const answer = createAnswer();
  const started = performance.now();
  const outcome = await runExchange({
    target: { name: "bot", url: target.url, accessKey: target.key, fetch: freshFetch },
    body,
    limits: target.limits,
    observer: {
      onResponse: (info) => {
        responseAtMs = info.firstByteMs;
      },
      onRawEvent: (raw) => {
        const keepAlive = raw.event === ":" || raw.event === "ping";
        (keepAlive ? keepAliveTimes : eventTimes).push(raw.atMs);
        if (events.length < SHOWN_EVENTS) {
          events.push({ atMs: raw.atMs, event: raw.event, data: clip(raw.data, SHOWN_DATA_CHARS) });
        }
      },
      onEvent: (event) => applyEvent(answer, event),
    },
  });
  const durationMs = performance.now() - started;
  const total = eventTimes.length + keepAliveTimes.length;
  return {
    request,
    response: {
      status: outcome.httpStatus,
      contentType: outcome.contentType,
      ...(events.length > 0 && { events }),
      ...(total > events.length && { eventCount: total }),
    },
    outcome,
    responseAtMs,
    eventTimes,
    keepAliveTimes,
    endedAtMs: outcome.timings.doneMs ?? durationMs,
    sawContent: outcome.hasContent,
    errorText: answer.error?.text ?? null,
    durationMs,
  };
}
