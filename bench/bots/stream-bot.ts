import { PoeBot } from "poekit";

/**
 * Answers every query with `events` text events of `chars` characters, yielded as fast as the server
 * takes them: the per-event cost of the server, with no model in the way.
 * @example
 * await run(new StreamBot(100, 10), { allowWithoutKey: true });
 */
export class StreamBot extends PoeBot {
  readonly #piece: string;

  constructor(
    private readonly events: number,
    chars: number,
  ) {
    super();
    this.#piece = "0123456789".repeat(Math.ceil(chars / 10)).slice(0, chars);
  }

  override async *getResponse() {
    for (let i = 0; i < this.events; i++) yield this.#piece;
  }
}
