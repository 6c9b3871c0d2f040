import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { HEADERS_WAIT_MS, openCallerStream } from "./caller-stream.js";

/** How the test route answers: after `firstAfterMs`, a text and done in one turn, unless the caller left. */
interface Plan {
  firstAfterMs: number;
  cancelled: boolean;
}

function appFor(plan: Plan): Hono {
  const app = new Hono();
  app.post("/", (c) => {
    const stream = openCallerStream(c, () => {
      plan.cancelled = true;
    });
    setTimeout(() => {
      stream.send("text", { text: "Hi" });
      stream.send("done", {});
      stream.close();
    }, plan.firstAfterMs);
    return stream.response;
  });
  return app;
}

const servers: Array<ReturnType<typeof serve>> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(app: Hono): Promise<number> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** Sends a query on a raw socket and resolves with the bytes of the first read and of the whole answer. */
function rawPost(port: number): Promise<{ first: string; all: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let first: string | undefined;
    let all = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      first ??= chunk;
      all += chunk;
      if (all.endsWith("0\r\n\r\n")) {
        socket.end();
        resolve({ first, all });
      }
    });
    socket.on("error", reject);
    socket.write("POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 2\r\n\r\n{}");
  });
}

describe("openCallerStream served by @hono/node-server", () => {
  it("writes the headers with the events of the first turn, in one write", async () => {
    const port = await listen(appFor({ firstAfterMs: 5, cancelled: false }));
    const { first, all } = await rawPost(port);
    expect(first).toBe(all);
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toContain("content-type: text/event-stream; charset=utf-8\r\n");
    expect(first).toContain('event: text\r\ndata: {"text":"Hi"}\r\n\r\n');
    expect(first).toContain("event: done\r\ndata: {}\r\n\r\n");
  });

  it("sends the headers alone once the first event is late", async () => {
    const port = await listen(appFor({ firstAfterMs: HEADERS_WAIT_MS + 400, cancelled: false }));
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" });
    const headersAfter = performance.now() - started;
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(headersAfter).toBeLessThan(HEADERS_WAIT_MS + 300);
    expect(await response.text()).toBe(
      'event: text\r\ndata: {"text":"Hi"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n',
    );
  });

  it("tells the route when the caller leaves before the end", async () => {
    const plan = { firstAfterMs: 200, cancelled: false };
    const port = await listen(appFor(plan));
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      body: "{}",
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    controller.abort();
    await expect.poll(() => plan.cancelled).toBe(true);
  });
});

describe("openCallerStream without Node's response (the fetch handler called in-process)", () => {
  it("answers with a web stream of the events", async () => {
    const response = await appFor({ firstAfterMs: 0, cancelled: false }).request("/", {
      method: "POST",
      body: "{}",
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await response.text()).toBe(
      'event: text\r\ndata: {"text":"Hi"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n',
    );
  });

  it("tells the route when the reader cancels", async () => {
    const plan = { firstAfterMs: 100, cancelled: false };
    const response = await appFor(plan).request("/", { method: "POST", body: "{}" });
    await response.body?.cancel();
    expect(plan.cancelled).toBe(true);
  });
});
