import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../core/logger.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { PoeBot } from "../server/poe-bot.js";
import { rawExchange } from "../test-support/raw-socket.js";
import { queryBody, readEvents, sleep } from "../test-support/requests.js";
import { type RunningServer, type RunOptions, run } from "./run.js";

class SlowBot extends PoeBot {
  override async *getResponse(_request: QueryRequest) {
    await sleep(900);
    yield "worth the wait";
  }
}

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
});

async function serve(options: RunOptions = {}): Promise<RunningServer> {
  const server = await run(new SlowBot(), {
    port: 0,
    host: "127.0.0.1",
    allowWithoutKey: true,
    handleSignals: false,
    syncSettings: false,
    logger: silentLogger,
    env: {},
    ...options,
  });
  servers.push(server);
  return server;
}

const utf8 = new TextEncoder();

describe("run() against slow clients (slowloris)", () => {
  it("cuts off a client that sends its headers a byte at a time", async () => {
    const server = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const reply = await rawExchange(server.port, utf8.encode("POST / HTTP/1.1\r\nhost: x\r\nx-slow: "), {
      drip: 40,
      guardMs: 5_000,
    });
    expect(reply.closedByServer).toBe(true);
    expect(reply.statuses).toEqual([408]);
    expect(reply.elapsedMs).toBeLessThan(2_000);
  });

  it("cuts off a client that sends its body a byte at a time", async () => {
    const server = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const head =
      "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n{";
    const reply = await rawExchange(server.port, utf8.encode(head), { drip: 40, guardMs: 5_000 });
    expect(reply.closedByServer).toBe(true);
    expect(reply.statuses).toEqual([408]);
    expect(reply.elapsedMs).toBeLessThan(2_500);
  });

  it("does not limit the response: a bot slower than the request timeout still answers in full", async () => {
    const server = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const response = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(queryBody()),
    });
    expect(await readEvents(response)).toEqual([
      { event: "text", data: { text: "worth the wait" } },
      { event: "done", data: {} },
    ]);
  });

  it("sets tighter limits than Node's defaults unless told otherwise", async () => {
    const server = await serve();
    expect(server.server.headersTimeout).toBe(20_000);
    expect(server.server.requestTimeout).toBe(60_000);
    const raised = await serve({ headersTimeoutMs: 90_000, requestTimeoutMs: 30_000 });
    // A request may never have less time than its headers.
    expect([raised.server.headersTimeout, raised.server.requestTimeout]).toEqual([90_000, 90_000]);
  });
});
