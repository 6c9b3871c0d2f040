import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request Poe's stand-in received. */
export interface Received {
  method: string;
  path: string;
  body: string;
}

/** A local stand-in for Poe's API, for `POE_API_BASE_URL`: there is no internet where tests run. */
export interface StandInPoe {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * Starts a server on loopback that records every request and answers `{"status":"ok"}`, as Poe
 * answers a settings sync it accepts.
 */
export function startStandInPoe(): Promise<StandInPoe> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ method: request.method ?? "", path: request.url ?? "", body });
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        received,
        close: () => new Promise((closed) => server.close(() => closed())),
      });
    });
  });
}
