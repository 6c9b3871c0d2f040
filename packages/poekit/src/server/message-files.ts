/**
 * What the SDK keeps per bot for the messages it is answering: how many files were posted to each
 * (Poe's per-message limit) and the `file` events waiting to be written. It lives here, keyed by the
 * bot, rather than in PoeBot's members, so that a bot author's subclass sees none of it; the server
 * and `postMessageAttachment` reach it with {@link messageFilesOf}.
 */
import type { FileEventData } from "../protocol/response-events.js";
import { encodeEvent } from "../protocol/sse-encoder.js";

export class MessageFiles {
  /**
   * Files posted (or being posted) per message id, for the messages being answered right now: an id
   * is added (with 0) when its response starts and dropped when it ends.
   */
  readonly posted = new Map<string, number>();
  readonly #queued = new Map<string, FileEventData[]>();

  /** Marks a message as being answered, so files may be posted to it; called when its response starts. */
  open(messageId: string): void {
    if (!this.posted.has(messageId)) this.posted.set(messageId, 0);
  }

  /** Drops what is kept for a message (its file count and queued events); called when its response ends. */
  forget(messageId: string): void {
    this.posted.delete(messageId);
    // Deleting from a Map reallocates its table even when the key is absent (V8 shrinks it).
    if (this.#queued.size > 0) this.#queued.delete(messageId);
  }

  /** Queues a `file` event for the response to `messageId`, written before the bot's next item or at the end. */
  queue(messageId: string, file: FileEventData): void {
    const queue = this.#queued.get(messageId);
    if (queue) queue.push(file);
    else this.#queued.set(messageId, [file]);
  }

  /** Takes the queued file events of a message as SSE text ("" when there are none). */
  take(messageId: string): string {
    if (this.#queued.size === 0) return "";
    const queue = this.#queued.get(messageId);
    if (!queue) return "";
    this.#queued.delete(messageId);
    let sse = "";
    for (const file of queue) sse += encodeEvent("file", file);
    return sse;
  }
}

// Weak: a bot that is no longer served or referenced takes its record with it.
const byBot = new WeakMap<object, MessageFiles>();

/**
 * The record of `bot`, made on first use.
 * @example
 * messageFilesOf(bot).open(request.message_id);
 */
export function messageFilesOf(bot: object): MessageFiles {
  let files = byBot.get(bot);
  if (!files) {
    files = new MessageFiles();
    byBot.set(bot, files);
  }
  return files;
}
