import type { ServerOptions } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createSimulator, type Simulator, type SimulatorOptions } from "./app.js";
import { DEFAULT_SIMULATOR_PORT } from "./defaults.js";
import type { BotRecord } from "./model.js";

/** A bot to register at start: `--bot NAME=URL#KEY`. */
export interface BotRegistration {
  name: string;
  url: string;
  accessKey?: string | null;
}

/** Options of {@link startSimulator}. */
export interface StartSimulatorOptions extends SimulatorOptions {
  /** Default 7777; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the simulator is for this machine only unless you say otherwise. */
  host?: string;
  /** Registered (or re-registered) at start, their settings fetched. */
  bots?: readonly BotRegistration[];
  /** How long a client may take to send a request's headers before it is cut off; default 20 s. */
  headersTimeoutMs?: number;
  /** How long a client may take to send a whole request, an upload included; default 120 s. */
  requestTimeoutMs?: number;
}

/** A listening simulator. */
export interface RunningSimulator {
  /** `http://127.0.0.1:7777`: the chat page, and what `POE_API_BASE_URL` should be for bots. */
  url: string;
  simulator: Simulator;
  /** The bots as registered at start, with any settings failure on each. */
  bots: BotRecord[];
  /** Stops listening (open streams are cut) and closes the database. */
  close(): Promise<void>;
}

/**
 * Node's defaults (60 s for headers, 300 s for a request, checked every 30 s) let a client that sends a
 * byte now and then (slowloris) hold a connection for minutes.
 */
function slowClientLimits(options: StartSimulatorOptions): ServerOptions {
  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 120_000, headersTimeout);
  return {
    headersTimeout,
    requestTimeout,
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
}

/**
 * Starts the simulator on 127.0.0.1: builds it, listens, registers the given bots and fetches every
 * bot's settings.
 *
 * @example
 * const sim = await startSimulator({ port: 0, db: ":memory:", bots: [{ name: "MyBot", url: "http://127.0.0.1:8080/" }] });
 * console.log(sim.url);
 * await sim.close();
 */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = createSimulator(options);
  const host = options.host ?? "127.0.0.1";
  const requestedPort = options.port ?? DEFAULT_SIMULATOR_PORT;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      {
        fetch: simulator.fetch,
        port: requestedPort,
        hostname: host,
        serverOptions: slowClientLimits(options),
      },
      () => resolve(started),
    );
    started.once("error", reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await simulator.close();
    if (error.code === "EADDRINUSE") {
      throw new Error(`Port ${requestedPort} is in use; choose another with --port (0 picks a free one).`);
    }
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  const url = `http://${shownHost}:${port}`;
  simulator.setOrigin(url);
  const close = async () => {
    // Page event streams never end by themselves: stopping background work closes them first.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await simulator.close();
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closed;
  };

  const { registry } = simulator.context;
  try {
    for (const bot of options.bots ?? []) await registry.register(bot);
    await registry.refreshAll();
  } catch (error) {
    await close();
    throw error;
  }
  return { url, simulator, bots: registry.list(), close };
}
