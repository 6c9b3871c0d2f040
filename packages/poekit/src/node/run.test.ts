import { readFileSync } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PoeConfigError } from "../core/errors.js";
import { silentLogger } from "../core/logger.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { makeApp } from "../server/make-app.js";
import { PoeBot } from "../server/poe-bot.js";
import type { RequestContext } from "../server/request-context.js";
import { queryBody, sleep } from "../test-support/requests.js";
import { parsePort, portFromArgv } from "./parse-port.js";
import { type RunningServer, run } from "./run.js";
import { toNodeHandler } from "./to-node-handler.js";

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
});

async function serve(bot: PoeBot, options: Parameters<typeof run>[1] = {}): Promise<RunningServer> {
  const server = await run(bot, {
    port: 0,
    host: "127.0.0.1",
    allowWithoutKey: true,
    handleSignals: false,
    logger: silentLogger,
    env: {},
    ...options,
  });
  servers.push(server);
  return server;
}

/** POSTs a query on a real socket and resolves with the response as soon as its headers arrive. */
function openQuery(url: string, body: unknown = queryBody()): Promise<IncomingMessage & { abort(): void }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: "POST", headers: { "content-type": "application/json" } },
      (response) => resolve(Object.assign(response, { abort: () => request.destroy() })),
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

function readAll(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      text += chunk;
    });
    response.on("end", () => resolve(text));
    response.on("error", reject);
  });
}

describe("run() on a real socket", () => {
  it("flushes the headers at once, before the bot's first item", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    class Thinking extends PoeBot {
      override async *getResponse() {
        await gate;
        yield "thought";
      }
    }
    const server = await serve(new Thinking());
    const response = await openQuery(`${server.url}/`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    release();
    expect(await readAll(response)).toBe(
      'event: text\r\ndata: {"text":"thought"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n',
    );
  });

  it("stops the generator (its finally runs) and aborts context.signal when the client disconnects mid-stream", async () => {
    let finallyRan = false;
    let signal: AbortSignal | undefined;
    let yielded = 0;
    class Endless extends PoeBot {
      override async *getResponseWithContext(_request: QueryRequest, context: RequestContext) {
        signal = context.signal;
        try {
          for (;;) {
            yielded++;
            yield "tick ";
            await sleep(10);
          }
        } finally {
          finallyRan = true;
        }
      }
    }
    const server = await serve(new Endless());
    const response = await openQuery(`${server.url}/`);
    await new Promise((resolve) => response.once("data", resolve));
    response.abort();
    await vi.waitFor(() => expect(finallyRan).toBe(true));
    expect(signal?.aborted).toBe(true);
    const stoppedAt = yielded;
    await sleep(50);
    expect(yielded).toBe(stoppedAt);
    expect(server.app.openStreams).toBe(0);
  });

  it("pulls a bounded number of 1,000,000 events from a bot whose reader stopped reading", async () => {
    let pulls = 0;
    class Firehose extends PoeBot {
      override async *getResponse() {
        for (let i = 0; i < 1_000_000; i++) {
          pulls++;
          yield "0123456789".repeat(10);
        }
      }
    }
    const server = await serve(new Firehose());
    const response = await openQuery(`${server.url}/`);
    response.pause();
    // Socket buffers on both sides fill, then the server stops pulling.
    let previous = -1;
    await vi.waitFor(
      async () => {
        const now = pulls;
        await sleep(100);
        expect(pulls).toBe(now);
        previous = now;
      },
      { timeout: 5000, interval: 10 },
    );
    expect(previous).toBeGreaterThan(0);
    expect(previous).toBeLessThan(100_000);
    response.abort();
  });

  it("accepts the exact bytes the Python client sends, nulls included", async () => {
    const raw = readFileSync(
      new URL("../protocol/fixtures/fastapi_poe/client-request-query.http", import.meta.url),
      "latin1",
    );
    class Echo extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        yield request.query.at(-1)?.content ?? "";
      }
    }
    const server = await serve(new Echo({ path: "/bot" }));
    const socket = connect(server.port, "127.0.0.1");
    const received: Buffer[] = [];
    socket.on("data", (chunk) => received.push(chunk));
    // The recorded request keeps its header block; the body follows the blank line (LF endings in the file).
    const [head, body] = raw.split(/\r?\n\r?\n/, 2) as [string, string];
    socket.write(`${head.replace(/\r?\n/g, "\r\n")}\r\n\r\n${body}`);
    await vi.waitFor(() => expect(Buffer.concat(received).toString()).toContain("event: done"));
    socket.destroy();
    const text = Buffer.concat(received).toString();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text).toContain('event: text\r\ndata: {"text":"hello-from-python"}');
  });

  it("ends open streams with an error event and done when the grace period runs out", async () => {
    class Slow extends PoeBot {
      override async *getResponse() {
        yield "working";
        await sleep(5_000);
        yield "never";
      }
    }
    const server = await serve(new Slow());
    const response = await openQuery(`${server.url}/`);
    const body = readAll(response);
    await sleep(30);
    const closed = server.close(100);
    const text = await body;
    await closed;
    expect(text).toContain('event: text\r\ndata: {"text":"working"}');
    expect(text).toMatch(
      /event: error\r\ndata: \{"allow_retry":true,"text":"The bot server is shutting down; please try again\."\}\r\n\r\nevent: done\r\ndata: \{\}\r\n\r\n$/,
    );
  });

  it("lets a stream that finishes within the grace period end normally, and refuses new connections", async () => {
    class Brief extends PoeBot {
      override async *getResponse() {
        await sleep(100);
        yield "finished";
      }
    }
    const server = await serve(new Brief());
    const response = await openQuery(`${server.url}/`);
    const body = readAll(response);
    await sleep(20);
    const closed = server.close(2_000);
    await expect(openQuery(`${server.url}/`)).rejects.toThrow();
    expect(await body).toBe(
      'event: text\r\ndata: {"text":"finished"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n',
    );
    await closed;
  });

  it("reports a port in use as a PoeConfigError", async () => {
    const first = await serve(new PoeBot());
    await expect(serve(new PoeBot(), { port: first.port })).rejects.toThrow(
      /Port \d+ on 127.0.0.1 is already in use/,
    );
  });
});

describe("ports", () => {
  it("parses ports and refuses bad ones", () => {
    expect(parsePort("8080", "--port")).toBe(8080);
    expect(parsePort(0, "port")).toBe(0);
    for (const bad of ["abc", "-1", "70000", "80.5", ""])
      expect(() => parsePort(bad, "--port")).toThrow(PoeConfigError);
  });

  it("reads -p and --port from the command line", () => {
    expect(portFromArgv(["-p", "9000"])).toBe("9000");
    expect(portFromArgv(["--port", "9001"])).toBe("9001");
    expect(portFromArgv(["--port=9002"])).toBe("9002");
    expect(portFromArgv(["x"])).toBeUndefined();
  });

  it("takes PORT from the environment", async () => {
    vi.stubEnv("PORT", "0");
    try {
      const server = await run(new PoeBot(), {
        host: "127.0.0.1",
        allowWithoutKey: true,
        handleSignals: false,
        logger: silentLogger,
        argv: [],
      });
      servers.push(server);
      expect(server.port).toBeGreaterThan(0);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("toNodeHandler", () => {
  it("mounts a bot in an Express app beside other routes", async () => {
    class Echo extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        yield `echo: ${request.query.at(-1)?.content}`;
      }
    }
    const server = express();
    server.get("/health", (_request, response) => {
      response.json({ ok: true });
    });
    server.use("/poe", toNodeHandler(makeApp(new Echo(), { allowWithoutKey: true, logger: silentLogger })));
    const listening = server.listen(0, "127.0.0.1");
    await new Promise((resolve) => listening.once("listening", resolve));
    try {
      const { port } = listening.address() as { port: number };
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
      const response = await fetch(`${base}/poe`, {
        method: "POST",
        body: JSON.stringify(queryBody("from express")),
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('data: {"text":"echo: from express"}');
      expect((await fetch(`${base}/poe`)).headers.get("content-type")).toBe("text/html; charset=utf-8");
    } finally {
      listening.closeAllConnections();
      await new Promise((resolve) => listening.close(resolve));
    }
  });
});

describe("listen errors", () => {
  it("reports a host that is not an address of this machine as a PoeConfigError", async () => {
    await expect(serve(new PoeBot(), { host: "192.0.2.1" })).rejects.toThrow(
      /Cannot listen on host 192.0.2.1/,
    );
  });
});

describe("bad input on a real socket", () => {
  function exchange(port: number, raw: string, endAfterWrite = false): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(port, "127.0.0.1");
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString();
      });
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
      socket.write(raw);
      if (endAfterWrite) socket.end();
      setTimeout(() => socket.destroy(), 1_000);
    });
  }

  it("answers 4xx with a JSON detail, survives truncated bodies and keeps serving", async () => {
    const server = await serve(new PoeBot(), { maxBodyBytes: 1000 });
    const post = (body: string, length = Buffer.byteLength(body)) =>
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n${body}`;
    expect(await exchange(server.port, post("{nope"))).toMatch(
      /^HTTP\/1\.1 400[\s\S]*"detail":"The request body is not valid JSON\."/,
    );
    expect(await exchange(server.port, post("x", 5_000_000))).toMatch(/^HTTP\/1\.1 413[\s\S]*"detail"/);
    expect(await exchange(server.port, post('{"version":"1.2","type":"da', 100), true)).not.toMatch(
      /^HTTP\/1\.1 5/,
    );
    const chunked = `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n400\r\n${"a".repeat(1024)}\r\n400\r\n${"a".repeat(1024)}\r\n0\r\n\r\n`;
    expect(await exchange(server.port, chunked)).toMatch(
      /^HTTP\/1\.1 413[\s\S]*larger than the limit of 1000 bytes/,
    );
    const response = await fetch(`${server.url}/`, { method: "POST", body: JSON.stringify(queryBody()) });
    expect(await response.text()).toContain('event: text\r\ndata: {"text":"hello"}');
  });
});
