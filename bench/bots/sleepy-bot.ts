import { PoeBot } from "poekit";

const now = () => performance.timeOrigin + performance.now();

/**
 * Stands for a slow model: `events` text events, one every `intervalMs`, each carrying the time it was
 * due (`<index>@<epoch ms>`) so that the client can measure how late it arrived.
 * @example
 * await run(new SleepyBot(30, 1000), { allowWithoutKey: true });
 */
export class SleepyBot extends PoeBot {
  constructor(
    private readonly events: number,
    private readonly intervalMs: number,
  ) {
    super();
  }

  override async *getResponse() {
    const start = now();
    for (let i = 0; i < this.events; i++) {
      const due = start + (i + 1) * this.intervalMs;
      await new Promise((resolve) => setTimeout(resolve, due - now()));
      yield `${i}@${due}`;
    }
  }
}
