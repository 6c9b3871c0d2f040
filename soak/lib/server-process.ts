import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ServerStats } from "./ipc.js";

/** Which server the soak runs against: the SDK's `run()`, or the simulator's bot query API. */
export type SoakTarget = "sdk" | "simulator";

/** A server under soak, running in a child process. */
export interface ServerProcess {
  /** Where queries go: `http://127.0.0.1:<port><path>`. */
  url: string;
  port: number;
  /** What the server measures of itself, after garbage collection. */
  stats(): Promise<ServerStats>;
  /** Ends the process and waits for it to be gone. */
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL("./server-child.ts", import.meta.url));

/**
 * Starts the server in a child process (`--expose-gc`, so that its memory is measured after a
 * collection) and waits until it listens.
 * @example
 * const server = await startServerProcess("sdk");
 * console.log((await server.stats()).rss);
 * await server.stop();
 */
export async function startServerProcess(target: SoakTarget, db?: string): Promise<ServerProcess> {
  const env = { ...process.env };
  // The soak measures the server as it is: no loader or key from the caller's environment.
  for (const name of ["NODE_OPTIONS", "POE_ACCESS_KEY", "POE_API_BASE_URL"]) delete env[name];
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", CHILD, target, ...(db ? [db] : [])],
    { stdio: ["ignore", "inherit", "inherit", "ipc"], env },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = await new Promise<{ port: number; path: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The ${target} server did not start within 30 s.`)),
      30_000,
    );
    child.on("message", (message: ChildMessage) => {
      if (message.type !== "ready") return;
      clearTimeout(timer);
      resolve(message);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The ${target} server exited at start (code ${child.exitCode}).`));
    });
  });
  return {
    url: `http://127.0.0.1:${ready.port}${ready.path}`,
    port: ready.port,
    stats: () => askStats(child),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

function askStats(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("The server did not report its stats within 10 s.")),
      10_000,
    );
    const onMessage = (message: ChildMessage) => {
      if (message.type !== "stats") return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message.stats);
    };
    child.on("message", onMessage);
    child.send({ type: "stats" });
  });
}
