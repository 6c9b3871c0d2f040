/**
 * Answers in one conversation run one after another, as on Poe: a message sent while the bot is still
 * answering the previous one is answered next, and its query includes that answer.
 */
export class AnswerQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `work` after everything queued for the conversation; resolves (or rejects) with it. */
  enqueue(conversationId: string, work: () => Promise<unknown>): Promise<void> {
    const previous = this.#tails.get(conversationId) ?? Promise.resolve();
    // A failed answer must not hold up the ones behind it; its failure is reported by its own caller.
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        await work();
      });
    this.#tails.set(conversationId, next);
    const forget = () => {
      if (this.#tails.get(conversationId) === next) this.#tails.delete(conversationId);
    };
    next.then(forget, forget);
    return next;
  }

  /** Conversations with answers queued or running. */
  get size(): number {
    return this.#tails.size;
  }
}
