/** What {@link OpenStreams} keeps: the item remembers its own place, so removing it needs no search. */
export interface OpenSlot {
  openIndex: number;
}

/**
 * The responses still streaming, so shutdown can end them. An array with swap-remove rather than a
 * `Set`: a Set reallocates its table as it empties and fills again, which it does around every
 * request of a server answering one query at a time.
 * @example
 * const open = new OpenStreams<QueryStream>();
 * open.add(stream);
 * open.delete(stream);
 */
export class OpenStreams<T extends OpenSlot> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    if (item.openIndex !== -1) return;
    item.openIndex = this.#items.length;
    this.#items.push(item);
  }

  delete(item: T): void {
    const index = item.openIndex;
    if (index === -1 || this.#items[index] !== item) return;
    const last = this.#items.pop() as T;
    if (last !== item) {
      this.#items[index] = last;
      last.openIndex = index;
    }
    item.openIndex = -1;
  }

  /** A copy, safe to iterate while items are removed. */
  snapshot(): T[] {
    return this.#items.slice();
  }
}
