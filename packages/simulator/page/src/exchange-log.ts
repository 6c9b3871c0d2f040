/**
 * What the inspector knows, without the DOM: exchanges and their raw events, merged from live events and
 * fetched snapshots in any order, and bounded in memory by a number of exchanges and of raw events.
 */
import type { ExchangeRecord, RawEventRecord } from "../../src/model.ts";

/** How much the log keeps before it drops the exchanges updated longest ago, with their events. */
export interface ExchangeLogLimits {
  exchanges: number;
  /** Raw events across all exchanges: an answer may have 10,000 of them (Poe's limit), or more. */
  events: number;
}

const DEFAULT_LIMITS: ExchangeLogLimits = { exchanges: 400, events: 100_000 };

/** Whether one snapshot of an exchange is further along than another. */
function isAhead(a: ExchangeRecord, b: ExchangeRecord): boolean {
  if (a.status !== "running" && b.status === "running") return true;
  return a.status === b.status && a.eventCount > b.eventCount;
}

function firstKey<K>(map: Map<K, unknown>): K | undefined {
  return map.keys().next().value;
}

/**
 * Exchanges by id and their raw events by exchange id, sorted by `seq`.
 *
 * @example
 * const log = new ExchangeLog((messageId) => fetched.delete(messageId));
 * log.addEvents([event]);
 * log.eventsOf(event.exchangeId);
 */
export class ExchangeLog {
  private readonly exchanges = new Map<string, ExchangeRecord>();
  private readonly rawEvents = new Map<string, RawEventRecord[]>();
  private eventCount = 0;

  /** `onDrop` hears of each bot message whose exchanges were dropped, so they can be fetched again. */
  constructor(
    private readonly onDrop: (messageId: string) => void = () => {},
    private readonly limits: ExchangeLogLimits = DEFAULT_LIMITS,
  ) {}

  /** Adds or updates an exchange; a fetched snapshot never replaces a live record further along. */
  upsert(exchange: ExchangeRecord, fromSnapshot = false): void {
    const current = this.exchanges.get(exchange.id);
    if (fromSnapshot && current && isAhead(current, exchange)) return;
    this.exchanges.delete(exchange.id);
    this.exchanges.set(exchange.id, exchange);
    this.trim();
  }

  /** Adds raw events, in any order; an event seen again (same exchange and `seq`) replaces the first. */
  addEvents(events: readonly RawEventRecord[]): void {
    for (const event of events) {
      let list = this.rawEvents.get(event.exchangeId);
      if (!list) {
        list = [];
        this.rawEvents.set(event.exchangeId, list);
      }
      const last = list[list.length - 1];
      if (!last || last.seq < event.seq) {
        list.push(event);
        this.eventCount++;
        continue;
      }
      const at = list.findIndex((e) => e.seq >= event.seq);
      if (list[at]?.seq === event.seq) {
        list[at] = event;
      } else {
        list.splice(at, 0, event);
        this.eventCount++;
      }
    }
    this.trim();
  }

  /** The exchanges a bot message caused, nested calls included, in the order they started. */
  of(messageId: string): ExchangeRecord[] {
    return [...this.exchanges.values()]
      .filter((exchange) => exchange.messageId === messageId)
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  eventsOf(exchangeId: string): readonly RawEventRecord[] {
    return this.rawEvents.get(exchangeId) ?? [];
  }

  /** Protocol violations by bot message, nested calls included. */
  violationCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const exchange of this.exchanges.values()) {
      if (exchange.messageId && exchange.violations.length) {
        counts.set(exchange.messageId, (counts.get(exchange.messageId) ?? 0) + exchange.violations.length);
      }
    }
    return counts;
  }

  /** How many raw events the log holds. */
  get size(): number {
    return this.eventCount;
  }

  /** Drops the exchanges updated longest ago (and events whose exchange never came) until within limits. */
  private trim(): void {
    while (this.exchanges.size > this.limits.exchanges) this.drop(firstKey(this.exchanges));
    // The newest exchange's events stay, however many there are: they are the ones being looked at.
    while (this.eventCount > this.limits.events && this.rawEvents.size > 1)
      this.drop(firstKey(this.rawEvents));
  }

  private drop(exchangeId: string | undefined): void {
    if (exchangeId === undefined) return;
    const exchange = this.exchanges.get(exchangeId);
    this.exchanges.delete(exchangeId);
    this.eventCount -= this.rawEvents.get(exchangeId)?.length ?? 0;
    this.rawEvents.delete(exchangeId);
    if (exchange?.messageId) this.onDrop(exchange.messageId);
  }
}
