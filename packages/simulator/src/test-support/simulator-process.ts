import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { buildIfStale, REPO_ROOT } from "../../../cli/src/test-support/build-if-stale.js";

/** `poekit sim` running in a process of its own, as a user runs it. */
export interface SimulatorProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Everything the process wrote, both streams. */
  output(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Calls the simulator's API and parses its JSON answer; a non-2xx answer throws. */
  api<T>(method: string, route: string, body?: unknown): Promise<T>;
}

/**
 * Starts the built `poekit sim` binary on a free port with the given database file (building the
 * packages first when a source is newer than its build) and waits for its banner.
 * @example
 * const sim = await startSimulatorProcess("/tmp/x/sim.db");
 * await sim.api("POST", "/api/conversations", { botName: "Echo" });
 */
export async function startSimulatorProcess(db: string): Promise<SimulatorProcess> {
  buildIfStale();
  return spawnSimulator([
    path.join(REPO_ROOT, "packages/poekit/bin/poekit.js"),
    "sim",
    "--port",
    "0",
    "--db",
    db,
  ]);
}

/**
 * Runs Node with `args` from the repository root, a command that starts `poekit sim` (the CLI, or
 * `scripts/start.mjs` as `npm start` does), and waits up to `startMs` for the simulator's banner.
 * The packages must be built.
 * @example
 * const sim = await spawnSimulator(["scripts/start.mjs", "--db", ":memory:"], { PORT: "0" }, 90_000);
 */
export async function spawnSimulator(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  startMs = 20_000,
): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", POE_API_BASE_URL: "", NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`poekit sim did not start: ${output}`)), startMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /poekit simulator on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`poekit sim exited (${String(how)}) at start: ${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    exited,
    async api<T>(method: string, route: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
