import { setMaxListeners } from "node:events";

/**
 * Keeps the promises of background work (bot answers, error reports) and one abort signal for them
 * all, so that closing the simulator cancels what runs and waits until it has stopped.
 */
export class TaskTracker {
  readonly #running = new Set<Promise<unknown>>();
  readonly #controller = new AbortController();

  constructor() {
    // Every answer and bot call in progress listens to this signal (see linkSignals): many at once
    // is normal, not the leak Node would warn about past ten.
    setMaxListeners(0, this.#controller.signal);
  }

  /** Aborted when the simulator closes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Runs `work` in the background; its failure is handed to `onError` (never unhandled). */
  run(work: () => Promise<unknown>, onError: (error: unknown) => void = logUnexpected): void {
    const task = work()
      .catch(onError)
      .finally(() => this.#running.delete(task));
    this.#running.add(task);
  }

  /** Aborts everything and waits for it to settle. */
  async close(): Promise<void> {
    this.#controller.abort(new Error("The simulator is shutting down."));
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** Waits for what is running now (tests use it to wait for an answer to finish). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}

function logUnexpected(error: unknown): void {
  console.error("[poekit simulator] background task failed:", error);
}
