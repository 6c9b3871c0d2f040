/** How long and how big each scenario runs: the full run, or `--quick`. */
export interface Profile {
  quick: boolean;
  /** Seconds of load before each measured pair, on each server. */
  warmupSeconds: number;
  /** Seconds of each measured load run. */
  loadSeconds: number;
  /** Measured runs per server and concurrency, alternating which server goes first. */
  loadRounds: number;
  echoConcurrencies: number[];
  streamConcurrencies: number[];
  openStreams: { count: number; seconds: number };
  client: { events: number; warmup: number; rounds: number; alternations: number };
  sseDecoding: { megabytes: number; rounds: number };
  startup: { runs: number };
  /** Sequential queries straight to the bot and through the simulator, each (after the warm-up). */
  simulator: { warmup: number; requests: number };
  /**
   * The bots `poekit serve --workers 2` and `--workers 1` serve in turn: `busy` computes about a
   * millisecond per query (the row with a target), `echo` is examples/echo.
   */
  workersBots: ("busy" | "echo")[];
}

const FULL: Profile = {
  quick: false,
  warmupSeconds: 2,
  loadSeconds: 5,
  loadRounds: 2,
  echoConcurrencies: [1, 10, 100],
  streamConcurrencies: [10, 100],
  openStreams: { count: 10_000, seconds: 30 },
  client: { events: 10_000, warmup: 40, rounds: 30, alternations: 2 },
  sseDecoding: { megabytes: 50, rounds: 5 },
  startup: { runs: 7 },
  simulator: { warmup: 100, requests: 1000 },
  workersBots: ["busy", "echo"],
};

const QUICK: Profile = {
  quick: true,
  warmupSeconds: 1,
  loadSeconds: 1,
  loadRounds: 1,
  echoConcurrencies: [1, 10, 100],
  streamConcurrencies: [10, 100],
  openStreams: { count: 500, seconds: 3 },
  client: { events: 10_000, warmup: 5, rounds: 10, alternations: 1 },
  sseDecoding: { megabytes: 10, rounds: 3 },
  startup: { runs: 2 },
  simulator: { warmup: 20, requests: 120 },
  workersBots: ["busy"],
};

/**
 * The profile for the command line's flags: `--quick`, and `--streams N` / `--stream-seconds S` to
 * size the open-streams scenario.
 * @example
 * profileFor({ quick: true }).openStreams; // { count: 500, seconds: 3 }
 */
export function profileFor(flags: { quick?: boolean; streams?: number; streamSeconds?: number }): Profile {
  const base = flags.quick ? QUICK : FULL;
  return {
    ...base,
    openStreams: {
      count: flags.streams ?? base.openStreams.count,
      seconds: flags.streamSeconds ?? base.openStreams.seconds,
    },
  };
}
