import {
  answerLengthAfter,
  countCharacters,
  EVENT_RULES,
  type EventViolation,
  KEEP_ALIVE,
  type ResponseEvent,
  ResponseSequence,
  type SseEvent,
} from "poekit/protocol";
import type { ExchangeTimings, Violation, ViolationRule } from "../model.js";
import type { ExchangeLimits } from "./exchange-limits.js";
import type { ExchangeObserver, ResponseInfo } from "./exchange-observer.js";
import { violationMessages } from "./violation-messages.js";

/** How far past Poe's event or character limit the simulator reads before it stops the response. */
export const HARD_STOP_FACTOR = 2;

/**
 * How many violations of one rule an exchange records. A bot can break a rule with every event (an
 * unknown event name, say) for as long as it streams, and the exchange record, stored and sent to the
 * page at each violation, must not grow with it; every raw event still names the rule it broke.
 */
export const MAX_VIOLATIONS_PER_RULE = 20;

interface Finding {
  rule: ViolationRule;
  message: string;
}

/**
 * The protocol rules that concern a response's events, applied one event at a time as they arrive:
 * the rules of the events themselves are poekit's `ResponseSequence`, judged as Poe judges them
 * (`EVENT_RULES`); Poe's limits are counted here. It keeps the exchange's counters, timings and
 * violations and tells the observer; the transport (HTTP, timers, byte decoding) is `runExchange`'s
 * business.
 */
export class ResponseGrader {
  /** Every violation so far, in the order found. */
  readonly violations: Violation[] = [];
  /** The timings known so far. */
  readonly timings: ExchangeTimings = { firstByteMs: null, firstTextMs: null, doneMs: null };
  readonly #limits: ExchangeLimits;
  readonly #observer: ExchangeObserver;
  readonly #clock: () => number;
  readonly #sequence: ResponseSequence;
  #seq = 0;
  #keepAlives = 0;
  #textLength = 0;
  #fatal = false;
  #afterDone = false;
  #tooManyCharacters = false;
  readonly #violationsByRule = new Map<ViolationRule, number>();

  /**
   * `clock` gives milliseconds since the request was sent. `toolsOffered`: the request carried
   * `tools`, so an answer of tool-call chunks alone (no text) is a whole answer, as Poe takes it.
   */
  constructor(
    limits: ExchangeLimits,
    observer: ExchangeObserver,
    clock: () => number,
    options: { toolsOffered?: boolean } = {},
  ) {
    this.#sequence = new ResponseSequence({ toolsOffered: options.toolsOffered === true });
    this.#limits = limits;
    this.#observer = observer;
    // Whole milliseconds: finer is noise for a person reading the inspector.
    this.#clock = () => Math.max(0, Math.round(clock()));
  }

  /** Milliseconds since the request was sent, as the grader stamps them. */
  elapsedMs(): number {
    return this.#clock();
  }

  /** Events of the response up to `done` (keep-alives and anything after `done` excluded). */
  get eventCount(): number {
    return this.#sequence.position;
  }

  /** Characters of the answer's text as it stands (a `replace_response` discards what came before). */
  get textLength(): number {
    return this.#textLength;
  }

  /** Whether the answer so far has content, as the `no-text-or-error` rule asks. */
  get hasContent(): boolean {
    return this.#sequence.hasContent;
  }

  /** Whether a violation ended the exchange: nothing more should be read. */
  get fatal(): boolean {
    return this.#fatal;
  }

  /** Whether `done` arrived. */
  get doneReceived(): boolean {
    return this.#sequence.done;
  }

  /** Whether something was found after `done`; there is no need to read further. */
  get sawAfterDone(): boolean {
    return this.#afterDone;
  }

  /** The response headers arrived. */
  responseStarted(info: ResponseInfo): void {
    this.#observer.onResponse?.(info);
    this.timings.firstByteMs = info.firstByteMs;
    this.#observer.onTimings?.({ ...this.timings });
  }

  /** Records a violation that ends the exchange (the transport stops reading). */
  fail(rule: ViolationRule, message: string, seq: number | null = null): void {
    this.#fatal = true;
    this.#add({ rule, message }, seq, this.#clock());
  }

  /**
   * A keep-alive: a comment line (`name` ":") or the `ping` event older servers sent. Neither is an
   * event of the response, so neither counts nor breaks a rule.
   */
  keepAlive(name: string, text: string): void {
    const seq = this.#seq++;
    // Bounded like events, so a bot pinging in a tight loop cannot fill the inspector.
    if (++this.#keepAlives > this.#limits.maxEvents) return;
    this.#observer.onRawEvent?.({ seq, atMs: this.#clock(), event: name, data: text, violation: null });
  }

  /** One event of the response, in arrival order. */
  event(sse: SseEvent): void {
    const checked = this.#sequence.read(sse);
    if (checked === KEEP_ALIVE) {
      this.keepAlive(sse.event, sse.data);
      return;
    }
    const seq = this.#seq++;
    const atMs = this.#clock();
    if ("rule" in checked && checked.rule === "event-after-done") {
      this.#eventAfterDone(sse, seq, atMs);
      return;
    }
    const count = this.#sequence.position;
    const findings: Finding[] = [];
    let event: ResponseEvent | null = null;
    if ("rule" in checked) {
      findings.push({ rule: checked.rule, message: messageOf(checked, sse.data) });
      if (EVENT_RULES[checked.rule].poe === "fail-response") this.#fatal = true;
    } else {
      event = checked;
      this.#account(event, findings);
    }
    if (count === this.#limits.maxEvents + 1) {
      findings.push({
        rule: "too-many-events",
        message: violationMessages.tooManyEvents(this.#limits.maxEvents),
      });
    }
    // One past the limit is recorded, so the inspector shows the event that broke it; no more, so
    // memory stays bounded however long the bot goes on.
    if (count <= this.#limits.maxEvents + 1) {
      const violation = findings[0]?.rule ?? null;
      this.#observer.onRawEvent?.({ seq, atMs, event: sse.event, data: sse.data, violation });
    }
    for (const finding of findings) this.#add(finding, seq, atMs);
    if (
      count > this.#limits.maxEvents * HARD_STOP_FACTOR ||
      this.#textLength > this.#limits.maxCharacters * HARD_STOP_FACTOR
    ) {
      // Past the limits the answer is already wrong; reading on would only let a runaway bot grow the
      // simulator's memory and database for as long as the total timeout allows.
      this.fail(
        count > this.#limits.maxEvents * HARD_STOP_FACTOR ? "too-many-events" : "too-many-characters",
        violationMessages.hardStop(HARD_STOP_FACTOR),
        seq,
      );
      return;
    }
    if (!event) return;
    this.#observer.onEvent?.(event);
    if (event.event === "done") this.#finish(atMs);
    else if (
      this.timings.firstTextMs === null &&
      (event.event === "text" || event.event === "replace_response")
    ) {
      this.timings.firstTextMs = atMs;
      this.#observer.onTimings?.({ ...this.timings });
    }
  }

  /** The body ended cleanly (between events). Judges what only the whole response can tell. */
  streamEnded(): void {
    if (this.#sequence.done) return;
    this.#judgeWhole();
  }

  /** Bytes after `done` that are not a complete event (an unfinished one, or an oversize line). */
  bytesAfterDone(): void {
    if (this.#afterDone) return;
    this.#afterDone = true;
    const message = violationMessages.eventAfterDone("more data");
    this.#add({ rule: "event-after-done", message }, null, this.#clock());
  }

  /** Keeps the text count, for the limit on the answer's length. */
  #account(event: ResponseEvent, findings: Finding[]): void {
    if (event.event !== "text" && event.event !== "replace_response") return;
    const replaces = event.event === "replace_response";
    this.#textLength = answerLengthAfter(this.#textLength, replaces, countCharacters(event.data.text));
    if (!this.#tooManyCharacters && this.#textLength > this.#limits.maxCharacters) {
      this.#tooManyCharacters = true;
      const message = violationMessages.tooManyCharacters(this.#limits.maxCharacters);
      findings.push({ rule: "too-many-characters", message });
    }
  }

  #eventAfterDone(sse: SseEvent, seq: number, atMs: number): void {
    const first = !this.#afterDone;
    this.#afterDone = true;
    this.#observer.onRawEvent?.({
      seq,
      atMs,
      event: sse.event,
      data: sse.data,
      violation: "event-after-done",
    });
    if (!first) return;
    const message = violationMessages.eventAfterDone(`a "${sse.event}" event`);
    this.#add({ rule: "event-after-done", message }, seq, atMs);
  }

  #finish(atMs: number): void {
    this.timings.doneMs = atMs;
    this.#observer.onTimings?.({ ...this.timings });
    this.#judgeWhole();
  }

  /** The rules about the whole response, at `done` or when the body ended without it. */
  #judgeWhole(): void {
    for (const rule of this.#sequence.brokenAtEnd()) {
      const message =
        rule === "missing-done" ? violationMessages.missingDone() : violationMessages.noTextOrError();
      this.#add({ rule, message }, null, this.#clock());
    }
  }

  #add(finding: Finding, seq: number | null, atMs: number): void {
    const count = (this.#violationsByRule.get(finding.rule) ?? 0) + 1;
    if (count > MAX_VIOLATIONS_PER_RULE) return;
    this.#violationsByRule.set(finding.rule, count);
    const violation: Violation = { rule: finding.rule, message: finding.message, atMs, seq };
    this.violations.push(violation);
    this.#observer.onViolation?.(violation);
  }
}

/** The inspector's sentence for an event that broke a rule of its own. */
function messageOf(violation: Exclude<EventViolation, { rule: "event-after-done" }>, data: string): string {
  switch (violation.rule) {
    case "unknown-event":
      return violationMessages.unknownEvent(violation.name);
    case "invalid-json":
      return violationMessages.invalidJson(violation.name, data);
    case "invalid-event-data":
      return violationMessages.invalidEventData(violation.name, violation.field, violation.problem, data);
    case "meta-not-first":
      return violationMessages.metaNotFirst(violation.position);
  }
}
