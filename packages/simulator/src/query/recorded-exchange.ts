import { makeIdentifier, type ResponseEvent } from "poekit/protocol";
import type { SimulatorContext } from "../context.js";
import type { ExchangeCaller, ExchangeRecord, Violation } from "../model.js";
import { reportViolations } from "./report-violations.js";
import { type ExchangeOutcome, runExchange } from "./run-exchange.js";
import type { ExchangeTarget } from "./target.js";

/** One request to a bot, as the inspector should see it. */
export interface RecordedExchangeInput {
  target: ExchangeTarget;
  body: Record<string, unknown>;
  /** The bot message this request is for (nested calls name the message that caused them). */
  messageId: string | null;
  parentId: string | null;
  caller: ExchangeCaller;
  /**
   * What the caller did wrong in making this request (a bot query API call with a key Poe would
   * refuse): shown on the exchange, never reported to the called bot, which is not to blame.
   */
  callerViolations?: readonly Violation[];
  /** Each valid event, in order, for whoever builds the answer or forwards the stream. */
  onEvent?: (event: ResponseEvent) => void;
  signal?: AbortSignal;
}

/**
 * Sends the request with {@link runExchange} and records everything on the way: the exchange, every
 * raw event and violation (pushed to the page as they happen), then reports the violations to the
 * bot as Poe does, in the background. The exchange is written to the database once its request has
 * left and when it ends; raw events and progress in between are queued and written once the events
 * have been passed on, so that no write stands between the bot's first text and whoever waits for it.
 *
 * @example
 * const { outcome } = await recordExchange(context, { target, body, messageId, parentId: null, caller });
 */
export async function recordExchange(
  context: SimulatorContext,
  input: RecordedExchangeInput,
): Promise<{ exchange: ExchangeRecord; outcome: ExchangeOutcome }> {
  const { store, bus } = context;
  const exchange: ExchangeRecord = {
    id: makeIdentifier("x"),
    messageId: input.messageId,
    parentId: input.parentId,
    caller: input.caller,
    botName: input.target.name,
    request: input.body,
    status: "running",
    httpStatus: null,
    contentType: null,
    startedAt: Date.now(),
    timings: { firstByteMs: null, firstTextMs: null, doneMs: null },
    violations: [...(input.callerViolations ?? [])],
    eventCount: 0,
    textLength: 0,
  };
  const botQueryId = typeof input.body.bot_query_id === "string" ? input.body.bot_query_id : null;
  // "soon" is the store's queue, written in the next turn of the event loop: at the start, once the
  // request to the bot has left (every read of the store writes the queue first, so a concurrent
  // call still counts this one), so that a simulator killed in the middle finds the exchange (and
  // marks it failed) when it starts again. At the end, at once.
  const publish = (write: "now" | "soon") => {
    if (write === "now") store.exchanges.save(exchange, botQueryId);
    else store.exchanges.saveSoon(exchange, botQueryId);
    bus.publish({ type: "exchange", exchange: { ...exchange } });
  };
  publish("soon");

  const outcome = await runExchange({
    target: input.target,
    body: input.body,
    signal: input.signal,
    limits: context.limits,
    observer: {
      onResponse: ({ httpStatus, contentType, firstByteMs }) => {
        exchange.httpStatus = httpStatus;
        exchange.contentType = contentType;
        exchange.timings = { ...exchange.timings, firstByteMs };
        publish("soon");
      },
      onTimings: (timings) => {
        exchange.timings = { ...timings };
      },
      onRawEvent: (raw) => {
        const event = { ...raw, exchangeId: exchange.id };
        if (raw.event !== ":") exchange.eventCount += 1;
        store.exchanges.addRawEvent(event);
        bus.publish({ type: "raw-event", event });
      },
      onViolation: (violation) => {
        exchange.violations.push(violation);
        publish("soon");
      },
      onEvent: (event) => input.onEvent?.(event),
    },
  });

  exchange.status = outcome.completed ? "complete" : "failed";
  exchange.httpStatus = outcome.httpStatus;
  exchange.contentType = outcome.contentType;
  exchange.timings = { ...outcome.timings };
  exchange.eventCount = outcome.eventCount;
  exchange.textLength = outcome.textLength;
  publish("now");

  if (outcome.violations.length > 0) {
    context.tasks.run(() =>
      reportViolations({
        target: input.target,
        violations: outcome.violations,
        messageId: input.messageId,
        exchangeId: exchange.id,
        httpStatus: outcome.httpStatus,
        // A bot slow to take its reports must not hold up closing the simulator.
        signal: context.tasks.signal,
      }),
    );
  }
  return { exchange, outcome };
}
