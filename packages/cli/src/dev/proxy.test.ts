import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../user-error.js";
import { type DevProxy, startProxy } from "./proxy.js";

const servers: http.Server[] = [];
const proxies: DevProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function upstream(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function proxy(): Promise<DevProxy> {
  const started = await startProxy({ port: 0, host: "127.0.0.1", unavailableDetail: "not loaded yet" });
  proxies.push(started);
  return started;
}

describe("the poekit dev proxy", () => {
  it("passes the request on and streams the response back chunk by chunk", async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const target = await upstream((request, response) => {
      let body = "";
      request.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      request.on("end", async () => {
        response.writeHead(200, { "content-type": "text/event-stream", "x-bot": "yes" });
        response.write(
          `event: text\r\ndata: ${JSON.stringify({ got: body, auth: request.headers.authorization })}\r\n\r\n`,
        );
        await released;
        response.end("event: done\r\ndata: {}\r\n\r\n");
      });
    });
    const dev = await proxy();
    await dev.switchTo(target);

    const response = await fetch(`${dev.url}/path?x=1`, {
      method: "POST",
      headers: { authorization: "Bearer key" },
      body: "hello",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-bot")).toBe("yes");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    // The first event arrives while the bot still holds the response open.
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe(
      'event: text\r\ndata: {"got":"hello","auth":"Bearer key"}\r\n\r\n',
    );
    release();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += decoder.decode(chunk.value);
    }
    expect(rest).toBe("event: done\r\ndata: {}\r\n\r\n");
  });

  it("aborts the request to the bot when the client goes away", async () => {
    let upstreamClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    const target = await upstream((request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(": ping\r\n\r\n");
      request.socket.on("close", () => upstreamClosed());
    });
    const dev = await proxy();
    await dev.switchTo(target);
    const client = new AbortController();
    const response = await fetch(dev.url, { method: "POST", body: "{}", signal: client.signal });
    await (response.body as ReadableStream<Uint8Array>).getReader().read();
    client.abort();
    await expect(closed).resolves.toBeUndefined();
  });

  it("answers 503 before any bot serves, and 502 when the bot's process is gone", async () => {
    const dev = await proxy();
    const unavailable = await fetch(dev.url, { method: "POST", body: "{}" });
    expect(unavailable.status).toBe(503);
    expect(await unavailable.json()).toEqual({ detail: "not loaded yet" });

    const target = await upstream((_request, response) => response.end());
    const server = servers.pop() as http.Server;
    await new Promise((resolve) => server.close(resolve));
    await dev.switchTo(target);
    const unreachable = await fetch(dev.url, { method: "POST", body: "{}" });
    expect(unreachable.status).toBe(502);
    expect(((await unreachable.json()) as { detail: string }).detail).toMatch(
      /could not reach the bot process .*save a file to start it again/,
    );

    dev.pause("the bot's process exited");
    expect(await (await fetch(dev.url)).json()).toEqual({ detail: "the bot's process exited" });
  });

  it("switches only once the requests sent to the previous bot have their response headers", async () => {
    let answer: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    let reached: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const old = await upstream(async (_request, response) => {
      reached();
      await held;
      response.end("old");
    });
    const dev = await proxy();
    await dev.switchTo(old);
    const pendingAnswer = fetch(dev.url).then((response) => response.text());
    await arrived;

    const next = await upstream((_request, response) => response.end("new"));
    let switched = false;
    const switching = dev.switchTo(next).then(() => {
      switched = true;
    });
    expect(await (await fetch(dev.url)).text()).toBe("new");
    expect(switched).toBe(false);
    answer();
    await switching;
    expect(await pendingAnswer).toBe("old");
  });

  it("says which flag to change when the port is in use", async () => {
    const first = await proxy();
    const port = Number(new URL(first.url).port);
    await expect(startProxy({ port, host: "127.0.0.1", unavailableDetail: "" })).rejects.toThrow(UserError);
    await expect(startProxy({ port, host: "127.0.0.1", unavailableDetail: "" })).rejects.toThrow(
      `Port ${port} is in use; choose another with --port (0 picks a free one).`,
    );
  });
});
