import { spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { childEnv, collectTail, stopChild } from "./processes.js";
import { QUERY_HEADERS } from "./query.js";

/**
 * A port nobody listens on right now, for a command that must be told which port to use.
 * @example
 * const port = await freePort();
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Sends one query on a connection of its own; resolves with whether a complete answer came back
 * (false when nobody listens yet).
 * @example
 * if (await askOnce(8080, queryBody("Are you up?"))) console.log("serving");
 */
export function askOnce(port: number, body: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/", method: "POST", headers: QUERY_HEADERS, agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve(res.statusCode === 200 && text.includes("event: done")));
        res.on("error", () => resolve(false));
      },
    );
    req.on("error", () => resolve(false));
    req.end(body);
  });
}

/** A server started as a command line (`poekit serve …`), which reports nothing over IPC. */
export interface CommandServer {
  name: string;
  /** `http://127.0.0.1:<port>/` */
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs `node <args>` (a command that listens on `port`) and resolves once it answers `body` and, if
 * `ready` is given, has printed a line matching it (a server of several processes may answer from
 * the first before the last is up). Stopping sends SIGTERM, as a process manager does, and SIGKILL
 * after `graceMs`.
 * @example
 * const port = await freePort();
 * const server = await startCommandServer("1 worker", [POEKIT_CLI, "serve", bot, "--port", String(port)], port, body);
 * await server.stop();
 */
export async function startCommandServer(
  name: string,
  args: string[],
  port: number,
  body: string,
  {
    startTimeoutMs = 30_000,
    graceMs = 5_000,
    ready,
  }: { startTimeoutMs?: number; graceMs?: number; ready?: RegExp } = {},
): Promise<CommandServer> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: childEnv() });
  const stderr = collectTail(child);
  let stdout = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    if (!ready?.test(stdout)) stdout += text;
  });
  const stop = () => stopChild(child, graceMs);
  const started = performance.now();
  for (;;) {
    if ((!ready || ready.test(stdout)) && (await askOnce(port, body))) break;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before answering: ${stderr()}`);
    }
    if (performance.now() - started > startTimeoutMs) {
      await stop();
      throw new Error(`${name} was not serving within ${startTimeoutMs / 1000} s: ${stderr()}`);
    }
    await sleep(20);
  }
  return { name, url: `http://127.0.0.1:${port}/`, stop };
}
