import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/** A server process on 127.0.0.1, started by a test. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Stops the process (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

/** What {@link startServerProcess} starts. */
export interface ServerCommand {
  /** Its name in errors: "workerd", "Bun", "Deno". */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The port it was told to listen on, on 127.0.0.1. */
  port: number;
  /** How long it may take to answer a first request; default 15 s. */
  startTimeoutMs?: number;
}

/**
 * Starts `command` and resolves once `http://127.0.0.1:<port>/` answers anything; when it exits first
 * or does not answer in time, stops it and rejects with the end of what it printed.
 * @example
 * const server = await startServerProcess({ name: "Deno", command: deno, args, cwd, port });
 * await server.stop();
 */
export async function startServerProcess(options: ServerCommand): Promise<ServerProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collectOutput(child);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () => stopProcess(child);
  try {
    await waitUntilAnswering(url, child, options.startTimeoutMs ?? 15_000, (why) => {
      return new Error(`${options.name} ${why}: ${output() || "(it printed nothing)"}`);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/**
 * A port nobody listens on right now, on 127.0.0.1 (not every runtime can be asked to pick one and
 * say which).
 * @example
 * const port = await freePort(); // 41873
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Keeps the last few kilobytes of what a process prints, for error messages. */
function collectOutput(child: ChildProcess): () => string {
  let tail = "";
  const keep = (chunk: string) => {
    tail = (tail + chunk).slice(-4096);
  };
  child.stdout?.setEncoding("utf8").on("data", keep);
  child.stderr?.setEncoding("utf8").on("data", keep);
  child.on("error", (error) => keep(`\n${error.message}`));
  return () => tail.trim();
}

async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  failure: (why: string) => Error,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw failure(`exited (${child.exitCode ?? child.signalCode}) before serving`);
    }
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) throw failure(`did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}
