import { createServer, type Server, type ServerOptions } from "node:http";
import type { AddressInfo } from "node:net";
import { PoeConfigError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { RequestRecord } from "../server/access-record.js";
import { appLoggers } from "../server/app-records.js";
import { type MakeAppOptions, makeApp } from "../server/make-app.js";
import type { PoeApp } from "../server/poe-app.js";
import type { PoeBot } from "../server/poe-bot.js";
import { RequestMetrics } from "../server/request-metrics.js";
import { settingsSyncs } from "../server/settings-sync-once.js";
import { formatLogger, type LogFormat, resolveLogFormat } from "./log-format.js";
import { serveMetrics } from "./metrics-server.js";
import { outliveLogReader } from "./outlive-log-reader.js";
import { parsePort, portFromArgv } from "./parse-port.js";
import { toNodeHandler } from "./to-node-handler.js";

/**
 * Options of {@link run}: those of `makeApp`, plus where and how to listen. With `syncSettings` (on by
 * default), a bot that has both `botName` and `accessKey` sends its settings to Poe once, as the
 * server starts listening rather than on its first request; pass `syncSettings: false` to skip it.
 * @example
 * await run(bot, { port: 8080, host: "127.0.0.1", graceMs: 5_000, accessKey: process.env.POE_ACCESS_KEY });
 */
export interface RunOptions extends MakeAppOptions {
  /**
   * How the default logger writes, when no `logger` is given: `json` (a line per record) or `pretty`.
   * Default: `POEKIT_LOG_FORMAT`, else `pretty` on a terminal and `json` otherwise.
   */
  logFormat?: LogFormat;
  /**
   * Serve Prometheus metrics at `/metrics` on this port (0: any free one), on `host`; default none.
   * See docs/observability.md.
   */
  metricsPort?: number | string;
  /** Default: `-p`/`--port` from the command line, else `PORT`, else 8080. */
  port?: number | string;
  /** Default `0.0.0.0`, so Poe (through your tunnel or host) can reach it. */
  host?: string;
  /** On SIGINT/SIGTERM, how long open responses may go on before they are ended; default 10 s. */
  graceMs?: number;
  /** Shut down gracefully on SIGINT and SIGTERM; default true. */
  handleSignals?: boolean;
  /** Arguments searched for `--port`; default `process.argv`. */
  argv?: readonly string[];
  /** How long a client may take to send a request's headers before it gets 408 and is cut off; default 20 s. */
  headersTimeoutMs?: number;
  /** How long a client may take to send a whole request, body included; default 60 s. Not a limit on the response. */
  requestTimeoutMs?: number;
}

/**
 * A server started by {@link run}.
 * @example
 * const server = await run(bot, { port: 0, allowWithoutKey: true, handleSignals: false });
 * console.log(server.url); // http://127.0.0.1:41234
 * await server.close();
 */
export interface RunningServer {
  server: Server;
  app: PoeApp;
  host: string;
  port: number;
  /** `http://host:port`, with 127.0.0.1 for a wildcard host. */
  url: string;
  /** `http://host:port/metrics` when `metricsPort` was given. */
  metricsUrl?: string;
  /** Stops accepting, lets open responses finish within `graceMs`, ends the rest, and closes. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Serves one bot or several on node:http and resolves once listening.
 * @example
 * import { run } from "poekit/node";
 * await run(new EchoBot(), { allowWithoutKey: true }); // node bot.js --port 8080
 */
export async function run(
  botOrBots: PoeBot | readonly PoeBot[],
  options: RunOptions = {},
): Promise<RunningServer> {
  const port = resolvePort(options);
  const host = options.host ?? "0.0.0.0";
  const graceMs = options.graceMs ?? 10_000;
  const env = options.env ?? process.env;
  const metricsPort =
    options.metricsPort === undefined ? undefined : parsePort(options.metricsPort, "The metrics port");
  const metrics = metricsPort === undefined ? undefined : new RequestMetrics();
  const onRequestEnd = options.onRequestEnd;
  const app = makeApp(botOrBots, {
    ...options,
    ...(metrics !== undefined && {
      onRequestEnd: (record: RequestRecord) => {
        metrics.observe(record);
        onRequestEnd?.(record);
      },
    }),
    logger:
      options.logger ?? formatLogger(resolveLogFormat(options.logFormat, env, process.stdout.isTTY === true)),
    // A server run for Poe logs each request; a fetch handler mounted elsewhere asks for it.
    accessLog: options.accessLog ?? true,
  });
  const logger = appLoggers.get(app) as Logger;
  const server = createServer(slowClientLimits(options), toNodeHandler(app));
  await listen(server, port, host);
  const metricsServer =
    metrics === undefined
      ? undefined
      : await serveMetrics(metrics, () => app.openStreams, metricsPort as number, host).catch((error) => {
          server.close();
          throw error;
        });
  // Serving now: a log reader that goes away must not stop it (docs/observability.md).
  outliveLogReader();
  // Node has a start-up: sync now rather than on the first request (the app still syncs only once).
  settingsSyncs.get(app)?.start();
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${actualPort}`;

  let closing: Promise<void> | undefined;
  const close = (grace = graceMs): Promise<void> => {
    closing ??= shutDown(server, app, grace).then(() => metricsServer?.close());
    return closing;
  };
  const where = host === "0.0.0.0" || host === "::" ? "listening on all interfaces, " : "";
  for (const [path, bot] of app.bots) {
    const auth = bot.accessKey === null ? "no access key required" : "access key required";
    logger.info(`Serving ${bot.botName ?? bot.constructor.name} at ${url}${path} (${where}${auth})`);
  }
  if (metricsServer !== undefined) logger.info(`Metrics for Prometheus at ${metricsServer.url}`);
  if (options.handleSignals ?? true)
    handleSignals(
      close,
      () => app.openStreams,
      graceMs,
      (message) => logger.info(message),
    );
  return {
    server,
    app,
    host,
    port: actualPort,
    url,
    close,
    ...(metricsServer !== undefined && { metricsUrl: metricsServer.url }),
  };
}

/**
 * Node's own defaults (60 s for headers, 300 s for a request, checked every 30 s) let a client that
 * sends a byte now and then (slowloris) hold a connection for minutes; a Poe request arrives at once.
 */
function slowClientLimits(options: RunOptions): ServerOptions {
  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 60_000, headersTimeout);
  return {
    headersTimeout,
    requestTimeout,
    // How often those limits are checked: often enough that a limit is kept to within a quarter of it.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
}

function resolvePort(options: RunOptions): number {
  if (options.port !== undefined) return parsePort(options.port, "The port option");
  const fromArgv = portFromArgv(options.argv ?? process.argv.slice(2));
  if (fromArgv !== undefined) return parsePort(fromArgv, "--port");
  if (process.env.PORT) return parsePort(process.env.PORT, "PORT");
  return 8080;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(
          new PoeConfigError(
            `Port ${port} on ${host} is already in use; choose another with --port or PORT.`,
          ),
        );
      } else if (error.code === "EACCES") {
        reject(new PoeConfigError(`No permission to listen on port ${port}; use a port above 1023.`));
      } else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
        reject(
          new PoeConfigError(
            `Cannot listen on host ${host}: it is not an address of this machine; use 0.0.0.0 or 127.0.0.1.`,
          ),
        );
      } else reject(error);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

async function shutDown(server: Server, app: PoeApp, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await app.drain(graceMs);
  // Ended streams have written `done`; give the sockets a moment to flush it, then close the rest.
  await new Promise((resolve) => setTimeout(resolve, 50));
  server.closeAllConnections();
  await closed;
}

function handleSignals(
  close: () => Promise<void>,
  openStreams: () => number,
  graceMs: number,
  log: (message: string) => void,
): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log(`${signal} again: exiting now.`);
      process.exit(130);
    }
    signalled = true;
    log(
      `${signal}: no longer accepting requests; ${openStreams()} open response(s) get up to ${graceMs / 1000} s to finish.`,
    );
    close().then(() => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      log("Stopped.");
    });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
