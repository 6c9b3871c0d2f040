import * as z from "zod/mini";
import { isJsonObject } from "./json.js";
import {
  isResponseEventName,
  RESPONSE_EVENT_SCHEMAS,
  type ResponseEvent,
  type ResponseEventName,
  type TextEventData,
} from "./response-events.js";
import type { SseEvent } from "./sse-decoder.js";
import { carriesToolCalls } from "./tool-call-chunks.js";

/**
 * The rules of a query response's events, in one place: what makes one event valid, and what order
 * the events must come in. The client's reader, the simulator's grader (and with it `poekit check` and
 * `poekit chat`) and the test client all read events through {@link ResponseSequence}, and differ only
 * in what they do about a broken rule, which {@link EVENT_RULES} says.
 */

/** A rule a response's events can break. */
export type EventRule =
  | "unknown-event"
  | "invalid-json"
  | "invalid-event-data"
  | "meta-not-first"
  | "event-after-done"
  | "missing-done"
  | "no-text-or-error";

/**
 * What a reader does when a rule is broken: `skip-event` drops the event and reads on; `fail-response`
 * gives the response up as failed; `report-only` tells the bot and keeps the answer; `not-checked`
 * does not apply the rule at all.
 */
export type RuleConsequence = "skip-event" | "fail-response" | "report-only" | "not-checked";

/** What Poe does about a broken rule, and what poekit's client (`streamRequest`) does. */
export interface EventRulePolicy {
  poe: RuleConsequence;
  client: RuleConsequence;
  /** The client's consequence when its request offered tools, where that differs from `client`. */
  clientWithTools?: RuleConsequence;
  /**
   * The spec asks Poe to ignore such events for forward compatibility: a response that breaks the rule
   * is not wrong (`poekit check` passes it), though the simulator shows it.
   */
  tolerated?: true;
}

/**
 * Each rule with its consequence. The client is stricter than Poe about data of the wrong shape: a bot
 * called from code gets a `ProtocolError` rather than an answer with a piece silently missing. It is
 * more lenient about an answer with no content: fastapi_poe's client reports it and returns normally,
 * and does not look when the request offered tools (Poe and the simulator want tool-call chunks then).
 * Nothing after `done` reaches either: both stop reading there.
 * @example
 * EVENT_RULES["unknown-event"].poe; // "skip-event"
 */
export const EVENT_RULES: Readonly<Record<EventRule, EventRulePolicy>> = {
  "unknown-event": { poe: "skip-event", client: "skip-event", tolerated: true },
  "invalid-json": { poe: "fail-response", client: "fail-response" },
  "invalid-event-data": { poe: "skip-event", client: "fail-response" },
  "meta-not-first": { poe: "skip-event", client: "skip-event" },
  "event-after-done": { poe: "skip-event", client: "skip-event" },
  "missing-done": { poe: "fail-response", client: "fail-response" },
  "no-text-or-error": { poe: "fail-response", client: "report-only", clientWithTools: "not-checked" },
};

/** Why one event could not be applied. `name` is the event's name as it arrived. */
export type EventViolation =
  | { rule: "unknown-event"; name: string }
  | { rule: "invalid-json"; name: ResponseEventName }
  | {
      rule: "invalid-event-data";
      name: ResponseEventName;
      /** The field in the wrong, dotted (`data` when it is the whole data). */
      field: string;
      /** What is wrong with it, in English. */
      problem: string;
      /** The data is JSON but not an object. */
      notAnObject: boolean;
    }
  | { rule: "meta-not-first"; name: "meta"; position: number }
  | { rule: "event-after-done"; name: string };

/** `ping`: the keep-alive event older servers sent instead of a comment line; no event of the response. */
export const KEEP_ALIVE_EVENT = "ping";

/** What {@link ResponseSequence.read} makes of an event that is a keep-alive rather than part of the response. */
export const KEEP_ALIVE: unique symbol = Symbol("keep-alive");
export type KeepAlive = typeof KEEP_ALIVE;

/**
 * One event's name and data checked against the protocol on their own: the event with its data parsed,
 * or why it cannot be used. Order and position are {@link ResponseSequence}'s business.
 * @example
 * checkResponseEvent({ event: "text", data: '{"text":"Hi"}' }); // { event: "text", data: { text: "Hi" } }
 * checkResponseEvent({ event: "txt", data: "{}" }); // { rule: "unknown-event", name: "txt" }
 */
export function checkResponseEvent(sse: SseEvent): ResponseEvent | EventViolation {
  const name = sse.event;
  if (!isResponseEventName(name)) return { rule: "unknown-event", name };
  if (name === "text" || name === "replace_response" || name === "suggested_reply") {
    // Most events are text, and most text is plain: read without JSON.parse or the schema.
    const plain = plainText(sse.data);
    if (plain !== undefined) return { event: name, data: { text: plain } };
  }
  let json: unknown;
  try {
    json = JSON.parse(sse.data);
  } catch {
    return { rule: "invalid-json", name };
  }
  return checkEventData(name, json);
}

/**
 * An event whose data is already a value rather than JSON text (what a bot yields as a raw event),
 * checked as {@link checkResponseEvent} checks one from the wire.
 * @example
 * checkResponseEventData("file", { url: "https://x.test/a.png" }); // { rule: "invalid-event-data", field: "content_type", … }
 */
export function checkResponseEventData(name: string, data: unknown): ResponseEvent | EventViolation {
  if (!isResponseEventName(name)) return { rule: "unknown-event", name };
  return checkEventData(name, data);
}

function checkEventData(name: ResponseEventName, data: unknown): ResponseEvent | EventViolation {
  if ((name === "text" || name === "replace_response" || name === "suggested_reply") && isTextData(data)) {
    return { event: name, data };
  }
  const parsed = z.safeParse(RESPONSE_EVENT_SCHEMAS[name], data);
  if (parsed.success) return { event: name, data: parsed.data } as ResponseEvent;
  const issue = parsed.error.issues[0];
  return {
    rule: "invalid-event-data",
    name,
    field: issue?.path.map(String).join(".") || "data",
    problem: issue?.message ?? "invalid",
    notAnObject: !isJsonObject(data),
  };
}

/**
 * A broken rule in a plain sentence, for a log line.
 * @example
 * describeEventViolation({ rule: "unknown-event", name: "txt" }); // 'the event name "txt" is not one of the protocol'
 */
export function describeEventViolation(violation: EventViolation): string {
  switch (violation.rule) {
    case "unknown-event":
      return `the event name ${JSON.stringify(violation.name.slice(0, 100))} is not one of the protocol`;
    case "invalid-json":
      return `the data of a "${violation.name}" event is not JSON`;
    case "invalid-event-data":
      return violation.notAnObject
        ? `the data of a "${violation.name}" event is not a JSON object`
        : `the data of a "${violation.name}" event has a wrong "${violation.field}" (${violation.problem})`;
    case "meta-not-first":
      return `a "meta" event came as event ${violation.position}, not first`;
    case "event-after-done":
      return `a "${violation.name.slice(0, 100)}" event came after "done"`;
  }
}

/** Whether `checkResponseEvent` or `ResponseSequence.read` found a violation rather than an event. */
export function isEventViolation(
  result: ResponseEvent | EventViolation | KeepAlive,
): result is EventViolation {
  return typeof result === "object" && "rule" in result;
}

/**
 * The events of one response in arrival order, each checked on its own and against the ones before:
 * `meta` only as the first event, nothing after `done`. It also keeps what the rules about the whole
 * response need: whether `done` came, and whether the answer has content (text, a replacement, an
 * error, or tool-call chunks when the request offered tools, which is an answer without text by nature).
 * @example
 * const sequence = new ResponseSequence();
 * sequence.read({ event: "text", data: '{"text":"Hi"}' }); // the event
 * sequence.read({ event: "meta", data: "{}" }); // { rule: "meta-not-first", … }
 * sequence.read({ event: "done", data: "{}" });
 * sequence.brokenAtEnd(); // []
 */
export class ResponseSequence {
  readonly #toolsOffered: boolean;
  #position = 0;
  #done = false;
  #content = false;
  #afterDone = 0;

  constructor(options: { toolsOffered?: boolean } = {}) {
    this.#toolsOffered = options.toolsOffered === true;
  }

  /** Events of the response read so far up to `done` (keep-alives and anything after `done` excluded). */
  get position(): number {
    return this.#position;
  }

  /** Whether `done` arrived. */
  get done(): boolean {
    return this.#done;
  }

  /** Whether the answer has content, as the `no-text-or-error` rule asks. */
  get hasContent(): boolean {
    return this.#content;
  }

  /** Events that arrived after `done`. */
  get eventsAfterDone(): number {
    return this.#afterDone;
  }

  /** Reads the next event: the event to apply, a keep-alive to skip, or the rule it broke. */
  read(sse: SseEvent): ResponseEvent | EventViolation | KeepAlive {
    if (sse.event === KEEP_ALIVE_EVENT) return KEEP_ALIVE;
    if (this.#done) {
      this.#afterDone++;
      return { rule: "event-after-done", name: sse.event };
    }
    const position = ++this.#position;
    const checked = checkResponseEvent(sse);
    if ("rule" in checked) return checked;
    switch (checked.event) {
      case "meta":
        if (position > 1) return { rule: "meta-not-first", name: "meta", position };
        break;
      case "text":
      case "replace_response":
      case "error":
        this.#content = true;
        break;
      case "json":
        if (!this.#content && this.#toolsOffered && carriesToolCalls(checked.data)) this.#content = true;
        break;
      case "done":
        this.#done = true;
        break;
    }
    return checked;
  }

  /**
   * The rules the response broke as a whole, judged at `done` or when the body ended: `missing-done`
   * when it never came, `no-text-or-error` when the answer had no content.
   */
  brokenAtEnd(): Array<"missing-done" | "no-text-or-error"> {
    const broken: Array<"missing-done" | "no-text-or-error"> = [];
    if (!this.#done) broken.push("missing-done");
    if (!this.#content) broken.push("no-text-or-error");
    return broken;
  }
}

/**
 * `{"text":"…"}` (or `{"text": "…"}`, as Python writes it) with no quote, backslash or control
 * character inside: JSON that means `{ text: "…" }` as it stands. One regex test is cheaper than
 * JSON.parse, and than testing the string by hand.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are what JSON forbids in a string.
const PLAIN_TEXT = /^\{"text": ?"[^"\\\u0000-\u001f]*"\}$/;

/** The text of `data` when it is plain as {@link PLAIN_TEXT} says, which is what JSON.parse would find; else undefined. */
export function plainText(data: string): string | undefined {
  if (!PLAIN_TEXT.test(data)) return undefined;
  // The value starts after `{"text":"`, or after `{"text": "`.
  return data.slice(data.charCodeAt(8) === 0x22 ? 9 : 10, data.length - 2);
}

/** Well-formed text data, checked by hand: the schema is needed only to word what is wrong. */
function isTextData(value: unknown): value is TextEventData {
  if (!isJsonObject(value) || typeof value.text !== "string") return false;
  const index = value.index;
  return index === undefined || index === null || Number.isInteger(index);
}
