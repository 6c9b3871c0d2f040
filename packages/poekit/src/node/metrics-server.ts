import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PoeConfigError } from "../core/errors.js";
import type { RequestMetrics } from "../server/request-metrics.js";

/** A Prometheus endpoint started by `run()` with `metricsPort`. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  url: string;
  close(): Promise<void>;
}

const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

/**
 * Serves `GET /metrics` (Prometheus text) on a port of its own, apart from the bot's: a scraper
 * inside the network reaches it, Poe and the internet need not. Any other path is 404 and any other
 * method 405, each with a JSON body.
 * @example
 * const metricsServer = await serveMetrics(metrics, () => app.openStreams, 9464, "127.0.0.1");
 */
export async function serveMetrics(
  metrics: RequestMetrics,
  openStreams: () => number,
  port: number,
  host: string,
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const refuse = (status: number, detail: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify({ detail }));
    };
    if (path !== "/metrics") return refuse(404, "Metrics are served at /metrics.");
    if (request.method !== "GET" && request.method !== "HEAD") {
      return refuse(405, `Method ${request.method} is not allowed; use GET.`, { allow: "GET, HEAD" });
    }
    const text = metrics.render(openStreams());
    response.writeHead(200, { "content-type": PROMETHEUS_TEXT, "content-length": Buffer.byteLength(text) });
    response.end(request.method === "HEAD" ? undefined : text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new PoeConfigError(`The metrics port ${port} on ${host} is already in use; choose another.`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return { url: `http://${shown}:${actual}/metrics`, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
