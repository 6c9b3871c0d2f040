import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { consoleLogger, type Logger } from "../core/logger.js";
import { outliveLogReader } from "../node/outlive-log-reader.js";
import type { RunningServer, RunOptions } from "../node/run.js";
import { UserError } from "./user-error.js";

/**
 * Set in the environment of every worker `poekit serve --workers` forks: `first` for the first worker
 * started, which prints the bots it serves and syncs their settings, `other` for the rest.
 */
const WORKER_ROLE_ENV = "POEKIT_SERVE_WORKER";

/** Workers may die this many times within a minute and be restarted; once more and the primary gives up. */
const MAX_RESTARTS_PER_MINUTE = 3;

/** After the grace period, how long the primary waits for workers to close before killing them. */
const KILL_AFTER_GRACE_MS = 5_000;

/**
 * The number of processes `--workers` asks for: a whole number of at least 1, or `auto` for one per CPU.
 * @example
 * parseWorkerCount("4"); // 4
 * parseWorkerCount(undefined); // 1
 */
export function parseWorkerCount(value: string | undefined): number {
  if (value === undefined) return 1;
  const trimmed = value.trim();
  if (trimmed === "auto") return availableParallelism();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) {
    throw new UserError(
      `--workers must be a whole number of processes (1 or more) or auto for one per CPU, got ${JSON.stringify(value)}.`,
    );
  }
  return Number(trimmed);
}

/**
 * Whether this process is a worker forked by `poekit serve --workers`.
 * @example
 * if (isServeWorker()) await serveAsWorker((options) => serve(modules, flags, process.env, options));
 */
export function isServeWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ROLE_ENV] !== undefined;
}

/** The options of `run()` that a worker sets itself. */
export type WorkerRunOptions = Pick<RunOptions, "logger" | "handleSignals" | "syncSettings">;

/**
 * Serves in a worker: `start` runs the normal serve path with the options given. Only the first worker
 * prints the bots it serves and syncs settings. The primary decides when to stop: Ctrl-C, which a
 * terminal sends to every process of the group, is ignored here, and SIGTERM from the primary closes
 * the server gracefully (within its grace period) and exits 0; a second SIGTERM exits at once.
 * @example
 * await serveAsWorker((options) => serve(modules, flags, process.env, options));
 */
export async function serveAsWorker(
  start: (options: WorkerRunOptions) => Promise<RunningServer>,
  base: Logger = consoleLogger,
): Promise<void> {
  process.on("SIGINT", () => {});
  const first = process.env[WORKER_ROLE_ENV] === "first";
  let starting = true;
  // run() prints what it serves while it starts; one copy of that, from the first worker, is enough.
  const logger: Logger = {
    debug: (message, fields) => base.debug?.(message, fields),
    warn: (message, fields) => base.warn(message, fields),
    error: (message, error, fields) => base.error(message, error, fields),
    info: (message, fields) => {
      if (first || !starting) base.info(message, fields);
    },
  };
  const server = await start({ logger, handleSignals: false, ...(!first && { syncSettings: false }) });
  starting = false;
  let stopping = false;
  process.on("SIGTERM", () => {
    if (stopping) process.exit(130);
    stopping = true;
    server.close().then(() => process.exit(0));
  });
}

/** Where the workers listen and how long they get to close, as the primary reports it. */
export interface PrimaryOptions {
  host: string;
  graceMs: number;
  /** Where the primary logs; default the console. */
  logger?: Logger;
}

interface WorkerState {
  worker: Worker;
  listening: boolean;
  /** The worker's stderr, held back until it listens, so a start-up error common to all is shown once. */
  heldStderr: string;
  stderrClosed: Promise<void>;
}

/**
 * Runs the primary of `poekit serve --workers <count>`: forks `count` workers that run this same command
 * line and share its listening socket, and resolves once all of them listen. From then on the primary
 * owns the process's exit: a worker that fails before it listens stops the others and the primary exits
 * with that worker's code (its error shown once); a worker that dies later is restarted, up to
 * {@link MAX_RESTARTS_PER_MINUTE} times a minute, then the primary exits 1; SIGINT or SIGTERM send
 * SIGTERM to every worker and the primary exits 0 once all have exited.
 * @example
 * await serveWithWorkers(2, { host: "127.0.0.1", graceMs: 10_000 });
 */
export function serveWithWorkers(count: number, options: PrimaryOptions): Promise<void> {
  const logger = options.logger ?? consoleLogger;
  const log = (message: string) => logger.info(message);
  // The primary outlives its log reader as each worker's run() does.
  outliveLogReader();
  const workers = new Map<number, WorkerState>();
  const deaths: number[] = [];
  let phase: "starting" | "serving" | "stopping" | "failing" = "starting";
  let exitCode = 0;
  let output: Promise<void> = Promise.resolve();

  cluster.setupPrimary({
    exec: process.argv[1],
    args: process.argv.slice(2),
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });

  const fork = (role: "first" | "other") => {
    const worker = cluster.fork({ [WORKER_ROLE_ENV]: role });
    const state: WorkerState = { worker, listening: false, heldStderr: "", stderrClosed: Promise.resolve() };
    const stderr = worker.process.stderr;
    if (stderr) {
      state.stderrClosed = new Promise((resolve) => stderr.once("close", resolve));
      stderr.setEncoding("utf8").on("data", (chunk: string) => {
        if (state.listening) process.stderr.write(chunk);
        else state.heldStderr += chunk;
      });
    }
    workers.set(worker.id, state);
  };

  const signalAll = (signal: NodeJS.Signals) => {
    for (const { worker } of workers.values()) worker.process.kill(signal);
  };

  const exitWhenAllGone = () => {
    if (workers.size > 0) return;
    output.then(() => {
      if (phase === "stopping") log("Stopped.");
      process.exit(exitCode);
    });
  };

  const fail = (code: number, message?: string) => {
    phase = "failing";
    exitCode = code;
    if (message !== undefined) {
      output = output.then(() => void process.stderr.write(`poekit: error: ${message}\n`));
    }
    signalAll("SIGTERM");
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (phase === "stopping") {
      log(`${signal} again: exiting now.`);
      signalAll("SIGKILL");
      process.exit(130);
    }
    phase = "stopping";
    exitCode = 0;
    log(
      `${signal}: stopping ${workers.size} workers; open responses get up to ${options.graceMs / 1000} s to finish.`,
    );
    signalAll("SIGTERM");
    setTimeout(() => signalAll("SIGKILL"), options.graceMs + KILL_AFTER_GRACE_MS).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  return new Promise((resolve) => {
    cluster.on("listening", (worker, address) => {
      const state = workers.get(worker.id);
      if (!state || state.listening) return;
      state.listening = true;
      process.stderr.write(state.heldStderr);
      state.heldStderr = "";
      const all = [...workers.values()];
      if (phase === "starting" && all.length === count && all.every((each) => each.listening)) {
        phase = "serving";
        const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
        log(`Serving with ${count} workers at http://${host}:${address.port}/ (Ctrl-C stops)`);
        resolve();
      }
    });

    cluster.on("exit", (worker, code, signal) => {
      const state = workers.get(worker.id);
      workers.delete(worker.id);
      if (!state || phase === "stopping" || phase === "failing") {
        exitWhenAllGone();
        return;
      }
      // Whatever the worker wrote before it listened says why it failed.
      output = output.then(() => state.stderrClosed).then(() => void process.stderr.write(state.heldStderr));
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (phase === "starting" && !state.listening) {
        fail(code ? code : 1);
        output = output.then(() => {
          if (state.heldStderr === "")
            process.stderr.write(`poekit: error: a worker ${how} before it was serving.\n`);
        });
      } else {
        const now = Date.now();
        deaths.push(now);
        while ((deaths[0] ?? now) < now - 60_000) deaths.shift();
        if (deaths.length > MAX_RESTARTS_PER_MINUTE) {
          fail(
            1,
            `workers died ${deaths.length} times within a minute (the last one ${how}); giving up. Their output above says why.`,
          );
        } else {
          output = output.then(() => {
            process.stderr.write(`poekit: a worker (pid ${worker.process.pid}) ${how}; starting another.\n`);
          });
          fork("other");
        }
      }
      exitWhenAllGone();
    });

    for (let index = 0; index < count; index++) fork(index === 0 ? "first" : "other");
  });
}
