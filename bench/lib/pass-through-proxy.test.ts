import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startPassThroughProxy } from "./pass-through-proxy.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Answers with the request's method, path and body in a header, then two chunks 50 ms apart. */
async function upstream(): Promise<string> {
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      res.writeHead(req.headers.authorization ? 200 : 401, {
        "content-type": "text/event-stream",
        "x-seen": `${req.method} ${req.url} ${body}`,
      });
      res.write("first ");
      setTimeout(() => res.end("second"), 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe("startPassThroughProxy", () => {
  it("forwards the request and streams the answer back as it comes", async () => {
    const proxy = await startPassThroughProxy(await upstream());
    closers.push(() => proxy.close());
    const response = await fetch(proxy.url, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: "hello",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("x-seen")).toBe("POST / hello");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe("first ");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += decoder.decode(chunk.value);
    expect(rest).toBe("second");
  });

  it("passes the upstream status through", async () => {
    const proxy = await startPassThroughProxy(await upstream());
    closers.push(() => proxy.close());
    const response = await fetch(proxy.url, { method: "POST", body: "x" });
    expect(response.status).toBe(401);
    await response.text();
  });
});
