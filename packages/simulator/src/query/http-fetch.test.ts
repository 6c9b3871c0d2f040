import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import type { ResponseEvent } from "poekit/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  frame,
  type RawRoute,
  type RawSseServer,
  SSE_HEADERS,
  sendSse,
  startRawSseServer,
} from "../../../poekit/src/test-support/raw-sse-server.js";
import { DONE, QUERY, text } from "../test-support/exchange-fixtures.js";
import type { ExchangeLimits } from "./exchange-limits.js";
import type { ExchangeRawEvent } from "./exchange-observer.js";
import { httpFetch } from "./http-fetch.js";
import { type ExchangeOutcome, runExchange } from "./run-exchange.js";
import type { FetchLike } from "./target.js";
import { describeFailure } from "./violation-messages.js";

const LIMITS: Partial<ExchangeLimits> = {
  firstByteMs: 300,
  totalMs: 600,
  maxEvents: 10,
  maxCharacters: 40,
  maxEventBytes: 4096,
  afterDoneGraceMs: 100,
};

/** Answers that stay open until the client leaves. */
function hold(response: ServerResponse, first?: string): void {
  response.writeHead(200, SSE_HEADERS);
  if (first !== undefined) response.write(first);
}

/** Every kind of answer runExchange grades, good and broken. */
const ROUTES: Record<string, RawRoute> = {
  Good: ({ response }) =>
    sendSse(
      response,
      frame("meta", '{"content_type":"text/markdown"}'),
      `${text("Hello")}: ping\r\n\r\n${text(", world")}`,
      frame("suggested_reply", '{"text":"More?"}'),
      DONE,
    ),
  InPieces: ({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    const bytes = Buffer.from(`${text("héllo 😀")}${DONE}`);
    let at = 0;
    const timer = setInterval(() => {
      response.write(bytes.subarray(at, at + 7));
      at += 7;
      if (at >= bytes.length) {
        clearInterval(timer);
        response.end();
      }
    }, 2);
  },
  NoDone: ({ response }) => sendSse(response, text("partial")),
  ClosesMidEvent: ({ response }) => sendSse(response, text("a"), 'event: text\r\ndata: {"te'),
  Reset: ({ response }) => {
    hold(response, text("a"));
    setTimeout(() => response.socket?.destroy(), 20);
  },
  BadJson: ({ response }) => sendSse(response, text("a"), frame("text", '{"text": "b"'), DONE),
  Unknown: ({ response }) => sendSse(response, text("a"), frame("purr", "{}"), text("b"), DONE),
  TooMany: ({ response }) => sendSse(response, text(".").repeat(12), DONE),
  Oversize: ({ response }) => sendSse(response, text("a"), text("x".repeat(5_000)), DONE),
  AfterDone: ({ response }) => sendSse(response, text("a"), DONE, text("late")),
  DoneThenOpen: ({ response }) => hold(response, text("a") + DONE),
  Html500: ({ response }) => {
    response.writeHead(500, { "content-type": "text/html" });
    response.end("<h1>Internal Server Error</h1>");
  },
  WrongType: ({ response }) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"text":"hi"}');
  },
  NoContent: ({ response }) => {
    response.writeHead(204);
    response.end();
  },
  Silent: ({ response }) => response.on("error", () => undefined),
  NeverEnding: ({ response }) => hold(response, text("thinking")),
};

let bots: RawSseServer;
beforeAll(async () => {
  bots = await startRawSseServer(ROUTES);
});
afterAll(async () => {
  await bots.close();
});

/** What runExchange made of a bot's answer, without the timings (which differ from run to run). */
async function graded(name: string, fetchImpl: FetchLike) {
  const raw: ExchangeRawEvent[] = [];
  const events: ResponseEvent[] = [];
  const outcome: ExchangeOutcome = await runExchange({
    target: { name, url: `${bots.baseUrl}${name}`, accessKey: "k".repeat(32), fetch: fetchImpl },
    body: QUERY,
    limits: LIMITS,
    observer: { onRawEvent: (event) => raw.push(event), onEvent: (event) => events.push(event) },
  });
  return {
    httpStatus: outcome.httpStatus,
    contentType: outcome.contentType,
    completed: outcome.completed,
    aborted: outcome.aborted,
    eventCount: outcome.eventCount,
    textLength: outcome.textLength,
    // How a broken connection is described names each client's own error; the rule is the same.
    violations: outcome.violations.map((violation) =>
      violation.rule === "connection-failed" ? violation.rule : `${violation.rule}: ${violation.message}`,
    ),
    raw: raw.map(({ seq, event, data, violation }) => ({ seq, event, data, violation })),
    events,
  };
}

/** A server whose handler sees each request's headers and body; answers as `answer` says. */
async function withServer(
  answer: (
    request: { headers: IncomingHttpHeaders; body: string; socket: Socket },
    response: ServerResponse,
  ) => void,
  run: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () =>
      answer(
        { headers: request.headers, body: Buffer.concat(chunks).toString(), socket: request.socket },
        response,
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("httpFetch", () => {
  it("gets runExchange the same grade as fetch for every kind of answer", async () => {
    for (const name of Object.keys(ROUTES)) {
      const [ours, theirs] = await Promise.all([graded(name, httpFetch), graded(name, fetch)]);
      expect({ name, ...ours }).toEqual({ name, ...theirs });
    }
  });

  it("sends the method, headers and body with a Content-Length, on a kept-alive connection", async () => {
    const seen: Array<{ headers: IncomingHttpHeaders; body: string; socket: Socket }> = [];
    await withServer(
      (request, response) => {
        seen.push(request);
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"ok":true}');
      },
      async (url) => {
        const body = JSON.stringify({ text: "héllo" });
        for (let i = 0; i < 2; i++) {
          const response = await httpFetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: "Bearer key" },
            body,
          });
          expect(response.status).toBe(200);
          expect(response.headers.get("content-type")).toBe("application/json");
          expect(await response.json()).toEqual({ ok: true });
        }
        expect(seen.map((request) => request.body)).toEqual([body, body]);
        expect(seen[0]?.headers).toMatchObject({
          "content-type": "application/json",
          authorization: "Bearer key",
          "content-length": String(Buffer.byteLength(body)),
          "accept-encoding": "identity",
        });
        expect(seen[1]?.socket).toBe(seen[0]?.socket);
      },
    );
  });

  it("streams the body as the bot sends it, and closes the connection when it is cancelled", async () => {
    let release = () => {};
    const closed = new Promise<void>((resolve) => {
      release = resolve;
    });
    let answer: ServerResponse | undefined;
    await withServer(
      (_request, response) => {
        answer = response;
        response.on("close", release);
        hold(response, text("first"));
      },
      async (url) => {
        const response = await httpFetch(url, { method: "POST", body: "{}" });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        expect(new TextDecoder().decode((await reader.read()).value)).toBe(text("first"));
        const next = reader.read();
        answer?.write(text("second"));
        expect(new TextDecoder().decode((await next).value)).toBe(text("second"));
        await reader.cancel();
        await closed;
      },
    );
  });

  it("rejects like fetch: a refused connection, and an abort with the signal's reason", async () => {
    const refused = await httpFetch("http://127.0.0.1:1/", { method: "POST", body: "{}" }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect(describeFailure(refused)).toBe("fetch failed: ECONNREFUSED");

    await withServer(
      (_request, response) => response.on("error", () => undefined),
      async (url) => {
        const controller = new AbortController();
        const pending = httpFetch(url, { method: "POST", body: "{}", signal: controller.signal });
        const reason = new Error("stop");
        setTimeout(() => controller.abort(reason), 20);
        await expect(pending).rejects.toBe(reason);
        await expect(httpFetch(url, { method: "POST", body: "{}", signal: controller.signal })).rejects.toBe(
          reason,
        );
      },
    );
  });

  it("errors the body with the signal's reason when aborted while it streams", async () => {
    await withServer(
      (_request, response) => hold(response, text("first")),
      async (url) => {
        const controller = new AbortController();
        const response = await httpFetch(url, { method: "POST", body: "{}", signal: controller.signal });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        const reason = new Error("enough");
        controller.abort(reason);
        await expect(reader.read()).rejects.toBe(reason);
      },
    );
  });

  it("leaves redirects and compressed answers to fetch, which follows and decodes them", async () => {
    await withServer(
      (request, response) => {
        if (response.req.url !== "/moved") {
          response.writeHead(307, { location: "/moved" });
          response.end();
          return;
        }
        response.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        response.end(gzipSync(`got ${request.body}`));
      },
      async (url) => {
        const response = await httpFetch(url, { method: "POST", body: "payload" });
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("got payload");
      },
    );
  });

  it("sends a request again on a new connection when the kept-alive one was closed as it was reused", async () => {
    let served = 0;
    await withServer(
      (request, response) => {
        served += 1;
        // The second request arrives on the first one's connection, which the server then drops.
        if (served === 2) {
          request.socket.destroy();
          return;
        }
        response.writeHead(200, { "content-type": "text/plain" });
        response.end(`answer ${served}`);
      },
      async (url) => {
        expect(await (await httpFetch(url, { method: "POST", body: "a" })).text()).toBe("answer 1");
        expect(await (await httpFetch(url, { method: "POST", body: "b" })).text()).toBe("answer 3");
      },
    );
  });
});
