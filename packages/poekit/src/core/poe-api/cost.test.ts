import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { QueryRequest } from "../../protocol/query-request.js";
import { makeApp } from "../../server/make-app.js";
import { PoeBot } from "../../server/poe-bot.js";
import { hangingFetch, rejectionOf } from "../../test-support/fake-fetch.js";
import { post, queryBody, readEvents, recordingLogger, TEST_KEY } from "../../test-support/requests.js";
import { CostRequestError, InsufficientFundError, InvalidParameterError } from "../errors.js";
import { authorizeCost, CostItem, captureCost } from "./cost.js";
import { type FetchLike, installFetchOverride } from "./transport.js";

interface Call {
  url: string;
  headers: Headers;
  body: unknown;
}

function sse(...events: Array<[string, unknown]>): string {
  return events.map(([event, data]) => `event: ${event}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`).join("");
}

function sseResponse(text: string, init: ResponseInit = {}): Response {
  return new Response(text, { ...init, headers: { "content-type": "text/event-stream" } });
}

const SUCCESS = sse(["result", { status: "success" }]);

function recorder(respond: (call: Call) => Response | Promise<Response> = () => sseResponse(SUCCESS)) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const call = {
      url: String(input),
      headers: new Headers(init.headers),
      body: JSON.parse(String(init.body)),
    };
    calls.push(call);
    return respond(call);
  };
  return { calls, fetch };
}

const request = { bot_query_id: "q-1" };

beforeEach(() => {
  vi.stubEnv("POE_API_BASE_URL", "");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("CostItem", () => {
  it("rounds a fraction up and keeps whole amounts", () => {
    expect(new CostItem({ amount_usd_milli_cents: 2500.2 }).amount_usd_milli_cents).toBe(2501);
    expect(new CostItem({ amount_usd_milli_cents: 0.0001 }).amount_usd_milli_cents).toBe(1);
    expect(new CostItem({ amount_usd_milli_cents: 7 }).amount_usd_milli_cents).toBe(7);
    expect(new CostItem({ amount_usd_milli_cents: 0 }).amount_usd_milli_cents).toBe(0);
    expect(Object.is(new CostItem({ amount_usd_milli_cents: -0 }).amount_usd_milli_cents, 0)).toBe(true);
  });

  it("defaults the description to null and serializes both fields", () => {
    expect(JSON.parse(JSON.stringify(new CostItem({ amount_usd_milli_cents: 5 })))).toEqual({
      amount_usd_milli_cents: 5,
      description: null,
    });
    expect(new CostItem({ amount_usd_milli_cents: 5, description: "Tokens" }).description).toBe("Tokens");
  });

  it.each([-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, "5"])(
    "refuses %s with an InvalidParameterError",
    (amount) => {
      expect(() => new CostItem({ amount_usd_milli_cents: amount as number })).toThrow(InvalidParameterError);
    },
  );
});

describe("authorizeCost and captureCost", () => {
  it("POST {root}bot/cost/<id>/authorize with the amounts and key as JSON, accepting SSE", async () => {
    const { calls, fetch } = recorder();
    await authorizeCost(
      request,
      { amount_usd_milli_cents: 1000.5, description: "Video" },
      { accessKey: TEST_KEY, fetch },
    );
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe("https://api.poe.com/bot/cost/q-1/authorize");
    expect(call?.headers.get("accept")).toBe("text/event-stream");
    expect(call?.headers.get("content-type")).toBe("application/json");
    expect(call?.body).toEqual({
      amounts: [{ amount_usd_milli_cents: 1001, description: "Video" }],
      access_key: TEST_KEY,
    });
  });

  it("captures to /capture and takes a list of CostItems and plain objects", async () => {
    const { calls, fetch } = recorder();
    await captureCost(
      request,
      [new CostItem({ amount_usd_milli_cents: 3 }), { amount_usd_milli_cents: 4.1, description: "b" }],
      { accessKey: TEST_KEY, fetch },
    );
    expect(calls[0]?.url).toBe("https://api.poe.com/bot/cost/q-1/capture");
    expect(calls[0]?.body).toEqual({
      amounts: [
        { amount_usd_milli_cents: 3, description: null },
        { amount_usd_milli_cents: 5, description: "b" },
      ],
      access_key: TEST_KEY,
    });
  });

  it("uses the baseUrl option, else POE_API_BASE_URL, and encodes the query id", async () => {
    const { calls, fetch } = recorder();
    const amount = { amount_usd_milli_cents: 1 };
    await authorizeCost({ bot_query_id: "a/b" }, amount, {
      accessKey: TEST_KEY,
      fetch,
      baseUrl: "http://h:1",
    });
    vi.stubEnv("POE_API_BASE_URL", "http://127.0.0.1:7777/");
    await authorizeCost(request, amount, { accessKey: TEST_KEY, fetch });
    expect(calls.map((call) => call.url)).toEqual([
      "http://h:1/bot/cost/a%2Fb/authorize",
      "http://127.0.0.1:7777/bot/cost/q-1/authorize",
    ]);
  });

  it("goes through the fetch override when no fetch is given", async () => {
    const { calls, fetch } = recorder();
    const remove = installFetchOverride(fetch);
    try {
      await authorizeCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY });
    } finally {
      remove();
    }
    expect(calls).toHaveLength(1);
  });

  it("reads events up to the first result, ignoring others before it", async () => {
    const body = sse(["ping", {}], ["result", { status: "success" }], ["result", { status: "failure" }]);
    const { fetch } = recorder(() => sseResponse(body));
    await expect(
      authorizeCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch }),
    ).resolves.toBe(undefined);
  });

  it.each([
    ["status failure", sse(["result", { status: "failure" }])],
    ["a result without status", sse(["result", {}])],
    ["a result that is not JSON", "event: result\ndata: nope\n\n"],
    ["no result event", sse(["message", { text: "hi" }])],
    ["an empty answer", ""],
  ])("throws InsufficientFundError on %s", async (_, body) => {
    const { fetch } = recorder(() => sseResponse(body));
    const error = await rejectionOf(
      authorizeCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch }),
    );
    expect(error).toBeInstanceOf(InsufficientFundError);
  });

  it("joins the messages of the SSE events of a 4xx answer", async () => {
    const body = sse(["error", { message: "amount too large" }], ["error", { message: "query expired" }]);
    const { fetch } = recorder(() => sseResponse(body, { status: 400, statusText: "Bad Request" }));
    const error = await rejectionOf(
      authorizeCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch }),
    );
    expect(error).toBeInstanceOf(CostRequestError);
    const cost = error as CostRequestError;
    expect(cost.message).toBe("400 Bad Request: amount too large; query expired");
    expect(cost.status).toBe(400);
    expect(cost.body).toBe(body);
  });

  it("uses the body text of a 5xx answer without events", async () => {
    const { fetch } = recorder(
      () => new Response("upstream down\n", { status: 503, statusText: "Service Unavailable" }),
    );
    const error = await rejectionOf(
      captureCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch }),
    );
    expect(error).toBeInstanceOf(CostRequestError);
    expect(error.message).toBe("503 Service Unavailable: upstream down");
    expect((error as CostRequestError).status).toBe(503);
  });

  it("treats a 2xx other than 200 as a refusal of the call", async () => {
    const { fetch } = recorder(() => new Response(null, { status: 204 }));
    const error = await rejectionOf(
      authorizeCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch }),
    );
    expect(error).toBeInstanceOf(CostRequestError);
    expect(error.message).toBe("204: (empty answer)");
  });

  it("masks the key in an answer that echoes it", async () => {
    const { fetch } = recorder(() => new Response(`bad key ${TEST_KEY}`, { status: 401 }));
    const error = await rejectionOf(
      authorizeCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch }),
    );
    expect(error.message).toBe("401: bad key ***");
    expect((error as CostRequestError).body).not.toContain(TEST_KEY);
  });

  it.each([
    ["null", null],
    ["an empty string", ""],
    ["undefined", undefined],
  ])("refuses a call with %s as access key, saying to set it, before sending", async (_, accessKey) => {
    const { calls, fetch } = recorder();
    const error = await rejectionOf(
      authorizeCost(request, { amount_usd_milli_cents: 1 }, { accessKey, fetch }),
    );
    expect(error).toBeInstanceOf(CostRequestError);
    expect(error.message).toMatch(/set the bot's accessKey/);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ["empty", { bot_query_id: "" }],
    ["null", { bot_query_id: null }],
    ["missing", {}],
  ])("refuses a request whose bot_query_id is %s before sending", async (_, target) => {
    const { calls, fetch } = recorder();
    const error = await rejectionOf(
      captureCost(target, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch }),
    );
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toMatch(/bot_query_id/);
    expect(calls).toHaveLength(0);
  });

  it("refuses no amounts or an invalid amount before sending", async () => {
    const { calls, fetch } = recorder();
    await expect(authorizeCost(request, [], { accessKey: TEST_KEY, fetch })).rejects.toThrow(
      InvalidParameterError,
    );
    await expect(
      authorizeCost(request, { amount_usd_milli_cents: -5 }, { accessKey: TEST_KEY, fetch }),
    ).rejects.toThrow(InvalidParameterError);
    expect(calls).toHaveLength(0);
  });

  it("times out with a CostRequestError", async () => {
    const error = await rejectionOf(
      authorizeCost(
        request,
        { amount_usd_milli_cents: 1 },
        { accessKey: TEST_KEY, fetch: hangingFetch, timeoutMs: 20 },
      ),
    );
    expect(error).toBeInstanceOf(CostRequestError);
    expect(error.message).toMatch(/timed out after 0\.02 s/);
  });

  it("times out while Poe keeps the event stream open without a result", async () => {
    const fetch: FetchLike = async () =>
      new Response(
        new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode(": hi\n")) }),
        {
          headers: { "content-type": "text/event-stream" },
        },
      );
    const error = await rejectionOf(
      captureCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch, timeoutMs: 30 }),
    );
    expect(error).toBeInstanceOf(CostRequestError);
    expect(error.message).toMatch(/timed out/);
  });

  it("rejects with the caller's reason when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = authorizeCost(
      request,
      { amount_usd_milli_cents: 1 },
      { accessKey: TEST_KEY, fetch: hangingFetch, signal: controller.signal },
    );
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it("wraps a connection failure in a CostRequestError", async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    };
    const error = await rejectionOf(
      authorizeCost(request, { amount_usd_milli_cents: 1 }, { accessKey: TEST_KEY, fetch }),
    );
    expect(error).toBeInstanceOf(CostRequestError);
    expect(error.message).toContain("ECONNREFUSED");
  });
});

class PaidBot extends PoeBot {
  override async *getResponse(query: QueryRequest) {
    await this.authorizeCost(query, { amount_usd_milli_cents: 2000, description: "Estimate" });
    yield "expensive answer";
    await this.captureCost(query, { amount_usd_milli_cents: 1500.5 });
  }
}

describe("PoeBot.authorizeCost and captureCost", () => {
  let remove: () => void = () => undefined;
  afterEach(() => remove());

  it("use the bot's own key", async () => {
    const { calls, fetch } = recorder();
    const bot = new PoeBot({ accessKey: TEST_KEY });
    await bot.authorizeCost(
      { ...(queryBody() as QueryRequest), bot_query_id: "q-9" },
      { amount_usd_milli_cents: 1 },
      { fetch },
    );
    expect(calls[0]?.url).toBe("https://api.poe.com/bot/cost/q-9/authorize");
    expect(calls[0]?.body).toMatchObject({ access_key: TEST_KEY });
  });

  it("refuse without a key", async () => {
    const error = await rejectionOf(
      new PoeBot().captureCost(
        { ...(queryBody() as QueryRequest), bot_query_id: "q" },
        { amount_usd_milli_cents: 1 },
      ),
    );
    expect(error).toBeInstanceOf(CostRequestError);
  });

  it("authorize, answer and capture through makeApp", async () => {
    const { calls, fetch } = recorder();
    remove = installFetchOverride(fetch);
    const app = makeApp(new PaidBot({ accessKey: TEST_KEY }), { logger: recordingLogger(), env: {} });
    const response = await app.fetch(
      post(queryBody("hi", { bot_query_id: "q-7" }), { authorization: `Bearer ${TEST_KEY}` }),
    );
    expect(await readEvents(response)).toEqual([
      { event: "text", data: { text: "expensive answer" } },
      { event: "done", data: {} },
    ]);
    expect(calls.map((call) => call.url)).toEqual([
      "https://api.poe.com/bot/cost/q-7/authorize",
      "https://api.poe.com/bot/cost/q-7/capture",
    ]);
    expect(calls[1]?.body).toMatchObject({ amounts: [{ amount_usd_milli_cents: 1501 }] });
  });

  it("turn a refused authorization into an insufficient_fund error event through makeApp", async () => {
    const { calls, fetch } = recorder(() => sseResponse(sse(["result", { status: "failure" }])));
    remove = installFetchOverride(fetch);
    const logger = recordingLogger();
    const app = makeApp(new PaidBot({ accessKey: TEST_KEY }), { logger, env: {}, syncSettings: false });
    const response = await app.fetch(
      post(queryBody("hi", { bot_query_id: "q-8" }), { authorization: `Bearer ${TEST_KEY}` }),
    );
    expect(await readEvents(response)).toEqual([
      { event: "error", data: { allow_retry: true, text: "", error_type: "insufficient_fund" } },
      { event: "done", data: {} },
    ]);
    // The bot stopped at the authorization: nothing was captured, nothing logged as a failure.
    expect(calls).toHaveLength(1);
    expect(logger.lines).toEqual([]);
  });
});

describe("cost calls on a real socket", () => {
  const received: Array<{ url: string | undefined; accept: string | undefined; body: unknown }> = [];
  let server: Server;
  let root: string;

  beforeAll(async () => {
    server = createServer((incoming, response) => {
      let text = "";
      incoming.setEncoding("utf8");
      incoming.on("data", (chunk: string) => {
        text += chunk;
      });
      incoming.on("end", () => {
        received.push({ url: incoming.url, accept: incoming.headers.accept, body: JSON.parse(text) });
        if (incoming.url?.includes("/broke/")) {
          response.writeHead(402, { "content-type": "text/event-stream" });
          response.end(sse(["error", { message: "bot is not monetized" }]));
          return;
        }
        response.writeHead(200, { "content-type": "text/event-stream" });
        const status = incoming.url?.includes("/poor/") ? "failure" : "success";
        // The result comes after a pause, as a separate chunk.
        response.write(": waiting\n\n");
        setTimeout(() => response.end(sse(["result", { status }])), 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("authorizes on success", async () => {
    await authorizeCost({ bot_query_id: "ok" }, [{ amount_usd_milli_cents: 12 }], {
      accessKey: TEST_KEY,
      baseUrl: root,
    });
    expect(received.at(-1)).toEqual({
      url: "/bot/cost/ok/authorize",
      accept: "text/event-stream",
      body: { amounts: [{ amount_usd_milli_cents: 12, description: null }], access_key: TEST_KEY },
    });
  });

  it("throws InsufficientFundError on a failure result", async () => {
    await expect(
      captureCost(
        { bot_query_id: "poor" },
        { amount_usd_milli_cents: 1 },
        { accessKey: TEST_KEY, baseUrl: root },
      ),
    ).rejects.toThrow(InsufficientFundError);
  });

  it("throws CostRequestError with Poe's message on a 402", async () => {
    const error = await rejectionOf(
      authorizeCost(
        { bot_query_id: "broke" },
        { amount_usd_milli_cents: 1 },
        { accessKey: TEST_KEY, baseUrl: root },
      ),
    );
    expect(error).toBeInstanceOf(CostRequestError);
    expect(error.message).toBe("402 Payment Required: bot is not monetized");
  });
});
