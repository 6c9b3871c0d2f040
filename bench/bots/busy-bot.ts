import { PoeBot, type QueryRequest } from "poekit";

/** Rounds of the work each query costs: about a millisecond of CPU on the bench machine. */
export const BUSY_ROUNDS = 400_000;

/**
 * A fixed amount of arithmetic (xorshift rounds): CPU work that takes the same number of instructions
 * however busy the machine is, unlike waiting for a time to pass.
 * @example
 * busyWork(1000); // 3298996588
 */
export function busyWork(rounds: number): number {
  let x = 2_463_534_242;
  for (let i = 0; i < rounds; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
  }
  return x;
}

/**
 * Stands for a bot that computes before it answers (builds a prompt, parses a document): `rounds` of
 * {@link busyWork} per query, then the echo of the last message. The workers scenario serves it with
 * `poekit serve`, where the cost of the query is the bot's, not the load generator's.
 * @example
 * export default new BusyBot(BUSY_ROUNDS);
 */
export class BusyBot extends PoeBot {
  constructor(private readonly rounds: number) {
    super();
  }

  override async *getResponse(request: QueryRequest) {
    const checksum = busyWork(this.rounds);
    yield `${request.query.at(-1)?.content ?? ""} (${checksum})`;
  }
}

export default new BusyBot(BUSY_ROUNDS);
