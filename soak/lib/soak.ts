import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ConversationResult, runConversations } from "./conversations.js";
import type { ServerStats } from "./ipc.js";
import { type QueryResult, runQueries } from "./queries.js";
import { type ServerProcess, type SoakTarget, startServerProcess } from "./server-process.js";

/** How much load one target gets. */
export interface SoakSizes {
  /** Streaming conversations open at once, through warm-up and run. */
  conversations: number;
  /** Turns each conversation takes at least in the run (it goes on while the queries last). */
  minTurns: number;
  /** Text events per streamed answer, and the pause between them. */
  events: number;
  intervalMs: number;
  /** Short queries in the run, and in the warm-up. */
  queries: number;
  warmupQueries: number;
  /** Keep-alive connections the short queries share. */
  connections: number;
}

/** The server's own figures once the load is over and its connections are closed. */
export interface SettledStats {
  stats: ServerStats;
  /** Whether the handles got back to the baseline (or, for the baseline, the sockets closed) in time. */
  settled: boolean;
}

/** Everything measured of one target. */
export interface TargetFigures {
  target: SoakTarget;
  sizes: SoakSizes;
  warmup: { conversations: ConversationResult; queries: QueryResult };
  run: { conversations: ConversationResult; queries: QueryResult; durationMs: number };
  afterWarmup: SettledStats;
  afterRun: SettledStats;
}

/** How long the server gets to close its connections once the clients closed theirs. */
const SETTLE_MS = 15_000;

/**
 * Soaks one server: a warm-up at full concurrency, then the run (streaming conversations held open
 * while the short queries go through), each followed by the server's own figures once idle.
 * @example
 * const figures = await soakTarget("sdk", sizes, console.log);
 */
export async function soakTarget(
  target: SoakTarget,
  sizes: SoakSizes,
  log: (line: string) => void,
): Promise<TargetFigures> {
  // The simulator records every exchange in SQLite: a file, as users run it, and thrown away after.
  const dir = target === "simulator" ? mkdtempSync(path.join(tmpdir(), "poekit-soak-")) : undefined;
  const server = await startServerProcess(target, dir && path.join(dir, "simulator.db"));
  try {
    const load = { url: server.url, events: sizes.events, intervalMs: sizes.intervalMs };
    log(`  warm-up: ${sizes.conversations} conversations × 1 turn and ${sizes.warmupQueries} short queries`);
    const warmQueries = runQueries({
      url: server.url,
      amount: sizes.warmupQueries,
      connections: sizes.connections,
    });
    const warmConversations = runConversations({ ...load, conversations: sizes.conversations, minTurns: 1 });
    const warmup = { queries: await warmQueries, conversations: await warmConversations };
    const afterWarmup = await settle(server);

    log(
      `  run: ${sizes.conversations} conversations (≥ ${sizes.minTurns} turns each, for as long as the queries last) and ${sizes.queries} short queries`,
    );
    const started = performance.now();
    const queries = runQueries({ url: server.url, amount: sizes.queries, connections: sizes.connections });
    const conversations = runConversations({
      ...load,
      conversations: sizes.conversations,
      minTurns: sizes.minTurns,
      keepGoing: queries,
    });
    const run = { queries: await queries, conversations: await conversations, durationMs: 0 };
    run.durationMs = performance.now() - started;
    const afterRun = await settle(server, afterWarmup.stats.resources);
    return { target, sizes, warmup, run, afterWarmup, afterRun };
  } finally {
    await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The server's figures once its connections are closed: without `baseline`, once it holds no socket;
 * with one, once it holds no more of any kind of handle than the baseline did.
 */
async function settle(server: ServerProcess, baseline?: Record<string, number>): Promise<SettledStats> {
  const deadline = performance.now() + SETTLE_MS;
  for (;;) {
    const stats = await server.stats();
    const settled = baseline
      ? Object.entries(stats.resources).every(([kind, count]) => count <= (baseline[kind] ?? 0))
      : (stats.resources.TCPSocketWrap ?? 0) === 0;
    if ((settled && stats.openStreams === 0) || performance.now() > deadline) {
      return { stats: await withSteadyMemory(server, stats), settled };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * `stats` with the median memory of three samples, half a second apart: SQLite's and the allocator's
 * memory moves by several percent from one moment to the next even when the process is idle.
 */
async function withSteadyMemory(server: ServerProcess, stats: ServerStats): Promise<ServerStats> {
  const samples = [stats];
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    samples.push(await server.stats());
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[1] as number;
  return {
    ...stats,
    rss: median(samples.map((sample) => sample.rss)),
    heapUsed: median(samples.map((sample) => sample.heapUsed)),
  };
}
