import type { BusEvent } from "../model.js";

/** A subscriber; it must not throw (a throwing one is dropped). */
export type BusListener = (event: BusEvent) => void;

/**
 * Fans simulator updates out to every open `/api/events` stream. In-process and synchronous: the
 * listeners queue what they receive, so publishing never waits for a slow page.
 */
export class EventBus {
  readonly #listeners = new Set<BusListener>();

  publish(event: BusEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        this.#listeners.delete(listener);
      }
    }
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: BusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#listeners.size;
  }
}
