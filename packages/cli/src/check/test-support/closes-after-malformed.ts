import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { makeApp, PoeBot, type QueryRequest, silentLogger } from "poekit";
import { toNodeHandler } from "poekit/node";
import { FIXTURE_KEY } from "./broken-bots.js";

class RepeatBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    yield `You said: ${request.query.at(-1)?.content ?? ""}`;
  }

  override async getSettings() {
    return { introduction_message: "I repeat what you say." };
  }
}

/** A bot server that closes connections after malformed bodies, and how often that bit a client. */
export interface ClosingBot {
  url: string;
  /** Requests that arrived on a connection already closed for them, and got no answer. */
  dropped(): number;
  close(): Promise<void>;
}

/**
 * Serves a well-behaved bot (key {@link FIXTURE_KEY}) that, like some Python servers, keeps a
 * connection open after answering a malformed body with 400 (no `Connection: close`) and closes it
 * a moment later. A client that reuses the connection in that moment gets no answer; here that is
 * made certain rather than a race: the next request on such a connection is dropped unanswered.
 * @example
 * const bot = await serveClosingBot();
 * await runChecks({ url: bot.url, accessKey: FIXTURE_KEY, selected: selectChecks([]) });
 */
export async function serveClosingBot(): Promise<ClosingBot> {
  const handler = toNodeHandler(makeApp(new RepeatBot(), { accessKey: FIXTURE_KEY, logger: silentLogger }));
  const doomed = new WeakSet<Socket>();
  let dropped = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (doomed.has(request.socket)) {
      dropped++;
      request.socket.destroy();
      return;
    }
    response.on("finish", () => {
      if (response.statusCode === 400) doomed.add(request.socket);
    });
    void handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
