import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the strict bot received: its `type` and the `Authorization` header it carried. */
export interface StrictBotRequest {
  type: string;
  authorization: string | undefined;
}

/** A bot server that, like Python bot libraries, refuses requests without an `Authorization` header. */
export interface HeaderStrictBot {
  url: string;
  requests: StrictBotRequest[];
  close(): Promise<void>;
}

/**
 * Starts, on 127.0.0.1 on a free port, a bot that checks no key but answers 401 to any request
 * without an `Authorization` header, as fastapi_poe does for a bot without a key. With one (any
 * value), it answers settings, queries with "ok" and an unknown event (so that Poe reports an
 * error back), and every report with `{}`.
 */
export async function startHeaderStrictBot(): Promise<HeaderStrictBot> {
  const requests: StrictBotRequest[] = [];
  const server = createServer((request, response) => {
    response.on("error", () => undefined);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let type = "unknown";
      try {
        type = String((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { type?: unknown }).type);
      } catch {}
      const authorization = request.headers.authorization;
      requests.push({ type, authorization });
      if (authorization === undefined) {
        response.writeHead(401, { "content-type": "application/json" });
        response.end('{"detail":"Invalid access key"}');
      } else if (type === "settings") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"introduction_message":"strict","response_version":2}');
      } else if (type === "query") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end(
          'event: text\r\ndata: {"text":"ok"}\r\n\r\nevent: bogus\r\ndata: {}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n',
        );
      } else {
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
