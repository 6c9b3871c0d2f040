import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../core/logger.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { makeApp } from "../server/make-app.js";
import { PoeBot } from "../server/poe-bot.js";
import type { RequestContext } from "../server/request-context.js";
import { rawExchange } from "../test-support/raw-socket.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import { toNodeHandler } from "./to-node-handler.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

class EchoBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    yield `echo: ${request.query.at(-1)?.content}`;
  }
}

const utf8 = new TextEncoder();

describe("toNodeHandler on an app from makeApp (answered straight from node:http)", () => {
  it("sends a response the bot finished at once whole, with its length, and a longer one as a stream", async () => {
    class SlowBot extends PoeBot {
      override async *getResponse() {
        yield "first";
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield "second";
      }
    }
    const quick = await listen(toNodeHandler(makeApp(new EchoBot(), { allowWithoutKey: true })));
    const slow = await listen(toNodeHandler(makeApp(new SlowBot(), { allowWithoutKey: true })));
    const body = JSON.stringify(queryBody("hi"));
    const whole = await fetch(quick, { method: "POST", body });
    expect(whole.headers.get("content-length")).not.toBeNull();
    expect(await whole.text()).toBe(
      'event: text\r\ndata: {"text":"echo: hi"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n',
    );
    const streamed = await fetch(slow, { method: "POST", body });
    expect(streamed.headers.get("content-length")).toBeNull();
    expect(streamed.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const text = await streamed.text();
    expect(text.indexOf('"first"')).toBeLessThan(text.indexOf('"second"'));
    expect(text.endsWith("event: done\r\ndata: {}\r\n\r\n")).toBe(true);
  });

  it("gives the hooks context.request with the method, URL, headers and body as received", async () => {
    let seen: { method: string; url: string; header: string | null; body: unknown } | undefined;
    class LookingBot extends PoeBot {
      override async *getResponseWithContext(_request: QueryRequest, context: RequestContext) {
        const { request } = context;
        seen = {
          method: request.method,
          url: request.url,
          header: request.headers.get("x-trace"),
          body: await request.json(),
        };
        yield "ok";
      }
    }
    const base = await listen(toNodeHandler(makeApp(new LookingBot(), { allowWithoutKey: true })));
    const query = queryBody("look");
    await (
      await fetch(`${base}/?from=test`, {
        method: "POST",
        headers: { "x-trace": "t-1" },
        body: JSON.stringify(query),
      })
    ).text();
    expect(seen).toEqual({
      method: "POST",
      url: `${base}/?from=test`,
      header: "t-1",
      body: JSON.parse(JSON.stringify(query)),
    });
  });

  it("refuses a request carrying two Authorization headers, even when one holds the right key", async () => {
    const base = await listen(toNodeHandler(makeApp(new EchoBot(), { accessKey: TEST_KEY })));
    const port = new URL(base).port;
    const body = JSON.stringify(queryBody("hi"));
    const request = (authorization: string[]) =>
      utf8.encode(
        `POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${authorization
          .map((value) => `authorization: ${value}\r\n`)
          .join("")}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    const one = await rawExchange(Number(port), request([`Bearer ${TEST_KEY}`]));
    expect(one.statuses).toEqual([200]);
    const two = await rawExchange(Number(port), request([`Bearer ${TEST_KEY}`, "Bearer someone-else"]));
    expect(two.statuses).toEqual([401]);
  });

  it("answers 400, saying why, when a body parser mounted before it has already read the body", async () => {
    const handler = toNodeHandler(makeApp(new EchoBot(), { allowWithoutKey: true, logger: silentLogger }));
    const base = await listen((request, response) => {
      request.on("data", () => {});
      request.on("end", () => void handler(request, response));
    });
    const response = await fetch(base, { method: "POST", body: JSON.stringify(queryBody("hi")) });
    expect(response.status).toBe(400);
    expect((await response.json()).detail).toMatch(/already read.*before any body parser/);
  });

  it("answers 413 to a chunked body over the limit and closes the connection", async () => {
    const base = await listen(
      toNodeHandler(makeApp(new EchoBot(), { allowWithoutKey: true, maxBodyBytes: 1_000 })),
    );
    const chunk = "x".repeat(600);
    const head = "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n";
    const chunked = `${head}${(600).toString(16)}\r\n${chunk}\r\n${(600).toString(16)}\r\n${chunk}\r\n`;
    const reply = await rawExchange(Number(new URL(base).port), utf8.encode(chunked));
    expect(reply.statuses).toEqual([413]);
    expect(reply.closedByServer).toBe(true);
    expect(reply.text).toMatch(/connection: close/i);
  });
});

describe("toNodeHandler on any other fetch handler", () => {
  it("serves it through the web-standard adapter", async () => {
    const base = await listen(
      toNodeHandler({
        fetch: async (request) => new Response(`${request.method} ${new URL(request.url).pathname}`),
      }),
    );
    expect(await (await fetch(`${base}/anything`, { method: "PUT", body: "x" })).text()).toBe(
      "PUT /anything",
    );
  });

  it("passes the body, headers and query in, and status, every header and the body out", async () => {
    const base = await listen(
      toNodeHandler({
        fetch: async (request) => {
          const headers = new Headers({ "x-seen": request.headers.get("x-sent") ?? "" });
          headers.append("set-cookie", "a=1");
          headers.append("set-cookie", "b=2");
          const url = new URL(request.url);
          return new Response(`${url.search} ${await request.text()}`, { status: 201, headers });
        },
      }),
    );
    const response = await fetch(`${base}/x?y=1`, {
      method: "POST",
      body: "héllo",
      headers: { "x-sent": "v" },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-seen")).toBe("v");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.text()).toBe("?y=1 héllo");
  });

  it("streams the answer as it is made, and aborts the request's signal when the client leaves", async () => {
    let aborted: () => void = () => {};
    const abortedOnce = new Promise<void>((resolve) => (aborted = resolve));
    const base = await listen(
      toNodeHandler({
        fetch: async (request) => {
          request.signal.addEventListener("abort", () => aborted());
          let timer: ReturnType<typeof setInterval> | undefined;
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(utf8.encode("first\n"));
              timer = setInterval(() => controller.enqueue(utf8.encode("more\n")), 20);
            },
            cancel() {
              clearInterval(timer);
            },
          });
          return new Response(body, { headers: { "content-type": "text/plain" } });
        },
      }),
    );
    const client = new AbortController();
    const response = await fetch(base, { signal: client.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first\n");
    client.abort();
    await abortedOnce;
  });

  it("answers 500 with a JSON body when the handler throws, and keeps serving", async () => {
    let calls = 0;
    const base = await listen(
      toNodeHandler({
        fetch: async () => {
          calls += 1;
          if (calls === 1) throw new Error("boom");
          return new Response("fine");
        },
      }),
    );
    const failed = await fetch(base);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ detail: "The server failed to answer." });
    expect(await (await fetch(base)).text()).toBe("fine");
  });
});
