// Running the real `poekit` bin in tests: start it, read what it writes, wait for a line, stop it.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));

/** The SDK's bin, as npm links it for `npx poekit`. */
export const POEKIT_BIN = path.join(REPO_ROOT, "packages/poekit/bin/poekit.js");

/** How a run of the bin ended. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running bin. */
export interface BinProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Finished>;
}

/**
 * The test process's environment without PORT, HOST, POE_ACCESS_KEY and LOG_LEVEL, which would change
 * what serve does, and with pretty logs (a pipe would get JSON), which the tests read.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.PORT;
  delete env.HOST;
  delete env.POE_ACCESS_KEY;
  delete env.FORCE_COLOR;
  delete env.LOG_LEVEL;
  return { ...env, POEKIT_LOG_FORMAT: "pretty", ...extra };
}

/**
 * Starts `node <bin> <args>` in `cwd` (the repository by default).
 * @example
 * const cli = startBin(["serve", "examples/echo", "--allow-without-key"]);
 */
export function startBin(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; bin?: string; node?: string } = {},
): BinProcess {
  const child = spawn(options.node ?? process.execPath, [options.bin ?? POEKIT_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Finished>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs the bin to its end; it is killed if it is still running after `timeoutMs`. */
export async function runToExit(
  args: readonly string[],
  options: Parameters<typeof startBin>[1] & { timeoutMs?: number } = {},
): Promise<Finished> {
  const bin = startBin(args, options);
  try {
    const timeoutMs = options.timeoutMs ?? 15_000;
    return await withTimeout(bin.exited, timeoutMs, `poekit ${args.join(" ")} did not exit`);
  } finally {
    stop(bin.child);
  }
}

/** Kills the child unless it has exited. */
export function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** Resolves once the bin's stdout matches `pattern`; rejects if it exits first or after `timeoutMs`. */
export function waitForOutput(bin: BinProcess, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      bin.child.stdout?.off("data", check);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (pattern.test(bin.stdout())) finish();
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `No ${pattern} in poekit's output within ${timeoutMs} ms:\n${bin.stdout()}${bin.stderr()}`,
          ),
        ),
      timeoutMs,
    );
    bin.child.stdout?.on("data", check);
    bin.exited.then(({ code }) =>
      finish(
        new Error(`poekit exited (${code}) before printing ${pattern}:\n${bin.stdout()}${bin.stderr()}`),
      ),
    );
    check();
  });
}

/** The query of the tests: "hello there" from a user. */
export const QUERY = {
  version: "1.2",
  type: "query",
  query: [{ role: "user", content: "hello there" }],
  user_id: "u-1",
  conversation_id: "c-1",
  message_id: "m-1",
};

/** POSTs {@link QUERY} to `url` and returns the status and the whole body. */
export async function postQuery(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(QUERY),
  });
  return { status: response.status, body: await response.text() };
}

/** `promise`, or a rejection with `message` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = await occupy(0);
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server holding `port` on 127.0.0.1 (0: any), so that the port is busy. */
export function occupy(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}
