import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

/** Memory of a server process, as it reports it. */
export interface ServerStats {
  rss: number;
  /** The largest resident set the process has had, in bytes. */
  maxRss: number;
}

/** A server running in a child process of its own, so it never shares an event loop with the load. */
export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>/` */
  url: string;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

/**
 * The environment of every measured process: no loaders from NODE_OPTIONS, no key or base URL that
 * would change what the SDK does.
 * @example
 * spawn(process.execPath, [file], { env: childEnv() });
 */
export function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !["NODE_OPTIONS", "POE_ACCESS_KEY", "POE_API_BASE_URL"].includes(key)) {
      env[key] = value;
    }
  }
  return env;
}

/**
 * Starts a JavaScript server file (raw-echo.mjs or the built poekit server) with plain node and
 * waits for it to report its port over IPC.
 * @example
 * const server = await startServer("raw-echo", RAW_ECHO, ["--mode", "echo"]);
 * await server.stop();
 */
export async function startServer(
  name: string,
  file: string,
  args: string[],
  options: { stdout?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [file, ...args], {
    stdio: ["ignore", options.stdout ?? "ignore", "pipe", "ipc"],
    env: { ...childEnv(), ...options.env },
  });
  const stderr = collectTail(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 20 s`)), 20_000);
    const onMessage = (message: { type?: string; port?: number }) => {
      if (message?.type !== "ready" || typeof message.port !== "number") return;
      cleanup();
      resolve(message.port);
    };
    const onExit = (code: number | null) => fail(new Error(`${name} exited (${code}) at start: ${stderr()}`));
    function fail(error: Error) {
      cleanup();
      child.kill("SIGKILL");
      reject(error);
    }
    function cleanup() {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    }
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
  return {
    name,
    pid: child.pid as number,
    port,
    url: `http://127.0.0.1:${port}/`,
    stats: () => askStats(child, name),
    stop: () => stopChild(child),
  };
}

function askStats(child: ChildProcess, name: string): Promise<ServerStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(new Error(`${name} did not report its memory within 10 s`));
    }, 10_000);
    const onMessage = (message: { type?: string } & Partial<ServerStats>) => {
      if (message?.type !== "stats") return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve({ rss: message.rss ?? Number.NaN, maxRss: message.maxRss ?? Number.NaN });
    };
    child.on("message", onMessage);
    child.send({ type: "stats" });
  });
}

/**
 * Ends a child: closing its IPC channel asks it to exit; SIGTERM, then SIGKILL, if it does not.
 * @example
 * await stopChild(child);
 */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  if (child.connected) child.disconnect();
  else child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last few kilobytes of a child's stderr, for error messages. */
export function collectTail(child: ChildProcess, limit = 4096): () => string {
  let tail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    tail = (tail + text).slice(-limit);
  });
  return () => tail.trim();
}

/**
 * Runs a JavaScript program with plain node to its end and parses the JSON line it prints last.
 * @example
 * const result = await runJsonProgram(RAW_CLIENT, ["--url", url]);
 */
export async function runJsonProgram<T>(file: string, args: string[], timeoutMs = 120_000): Promise<T> {
  const child = spawn(process.execPath, [file, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv(),
  });
  const stderr = collectTail(child);
  let stdout = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (text: string) => {
    stdout += text;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const [code] = (await once(child, "exit")) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${file} exited with ${code}: ${stderr()}`);
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as T;
}
