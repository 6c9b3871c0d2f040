import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request the stand-in received: its path and body. */
export interface RecordedCall {
  url: string;
  body: string;
}

/** A local stand-in for Poe's API that records what it is sent; tests point `POE_API_BASE_URL` at it. */
export interface RecordingPoe {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the stand-in on loopback: every request is pushed onto `received` and answered `{}` with
 * 200, as Poe answers a settings sync.
 * @example
 * const received: RecordedCall[] = [];
 * const poe = await startRecordingPoe(received);
 */
export async function startRecordingPoe(received: RecordedCall[]): Promise<RecordingPoe> {
  const server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ url: request.url ?? "", body });
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
