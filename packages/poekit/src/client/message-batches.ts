const EMPTY: readonly never[] = [];

/**
 * The messages of a generator of batches, one by one, as an async generator of messages would
 * hand them out. A generator's `yield` costs several promises and a save and restore of its frame;
 * here a message of the current batch costs one resolved promise, and the inner generator is resumed
 * once per batch. An empty batch is skipped.
 *
 * Like a generator's, calls are served in order: a call made while another is still pending waits
 * for it. `return` and `throw` go to the inner generator (which is suspended at the `yield` of the
 * current batch, so its `finally` blocks run as they would around a `yield` of the message), and
 * the rest of the batch is dropped.
 */
export class MessageBatches<T> implements AsyncGenerator<T, void, undefined> {
  readonly #inner: AsyncGenerator<readonly T[], void, undefined>;
  #batch: readonly T[] = EMPTY;
  #index = 0;
  /** Calls started and not yet settled; while there are any, a new call waits behind `#tail`. */
  #pending = 0;
  #tail: Promise<unknown> = Promise.resolve();
  readonly #settled = () => {
    this.#pending--;
  };

  constructor(inner: AsyncGenerator<readonly T[], void, undefined>) {
    this.#inner = inner;
  }

  next(): Promise<IteratorResult<T, void>> {
    // The common case: nothing pending and a message at hand.
    if (this.#pending === 0 && this.#index < this.#batch.length) {
      return Promise.resolve({ value: this.#batch[this.#index++] as T, done: false });
    }
    return this.#serialised(() => this.#pull());
  }

  return(value?: void | PromiseLike<void>): Promise<IteratorResult<T, void>> {
    return this.#serialised(() => {
      this.#drop();
      return this.#take(this.#inner.return(value));
    });
  }

  throw(error?: unknown): Promise<IteratorResult<T, void>> {
    return this.#serialised(() => {
      this.#drop();
      return this.#take(this.#inner.throw(error));
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  // What `Object.prototype.toString` said of the generator this replaces.
  get [Symbol.toStringTag](): string {
    return "AsyncGenerator";
  }

  async #pull(): Promise<IteratorResult<T, void>> {
    if (this.#index < this.#batch.length) return { value: this.#batch[this.#index++] as T, done: false };
    this.#drop();
    return this.#take(this.#inner.next());
  }

  /** The first message of the batch the inner generator gave, or its end. */
  async #take(step: Promise<IteratorResult<readonly T[], void>>): Promise<IteratorResult<T, void>> {
    let result = await step;
    while (!result.done && result.value.length === 0) result = await this.#inner.next();
    if (result.done) return result;
    this.#batch = result.value;
    this.#index = 1;
    return { value: result.value[0] as T, done: false };
  }

  #drop(): void {
    this.#batch = EMPTY;
    this.#index = 0;
  }

  /** Runs `call` once every earlier call has settled, as a generator queues its requests. */
  #serialised(call: () => Promise<IteratorResult<T, void>>): Promise<IteratorResult<T, void>> {
    const queued = this.#pending > 0;
    this.#pending++;
    let result: Promise<IteratorResult<T, void>>;
    if (queued) {
      result = this.#tail.then(call);
    } else {
      try {
        result = call();
      } catch (error) {
        result = Promise.reject(error);
      }
    }
    this.#tail = result.then(this.#settled, this.#settled);
    return result;
  }
}
