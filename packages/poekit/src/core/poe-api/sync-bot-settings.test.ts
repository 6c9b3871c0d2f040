import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hangingFetch, rejectionOf } from "../../test-support/fake-fetch.js";
import { TEST_KEY } from "../../test-support/requests.js";
import { HTTPError, InvalidParameterError, PoeError } from "../errors.js";
import { syncBotSettings } from "./sync-bot-settings.js";
import { type FetchLike, installFetchOverride } from "./transport.js";

interface Call {
  url: string;
  init: RequestInit;
}

function recorder(respond: (call: Call) => Response | Promise<Response> = () => Response.json({ ok: true })) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const call = { url: String(input), init };
    calls.push(call);
    return respond(call);
  };
  return { calls, fetch };
}

function expectNoKey(error: Error) {
  const seen = [
    error.message,
    error.stack ?? "",
    JSON.stringify(error),
    String((error as { url?: string }).url),
  ];
  for (const text of seen) {
    expect(text).not.toContain(TEST_KEY);
    expect(text).not.toContain(TEST_KEY.slice(0, 16));
  }
}

beforeEach(() => {
  vi.stubEnv("POE_API_BASE_URL", "");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("syncBotSettings: fetch mode (no settings)", () => {
  it("POSTs fetch_settings/<bot>/<key>/1.2 without a body and resolves with Poe's answer", async () => {
    const { calls, fetch } = recorder(() => Response.json({ status: "fetched" }));
    const result = await syncBotSettings("MyBot", TEST_KEY, { fetch });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe(`https://api.poe.com/bot/fetch_settings/MyBot/${TEST_KEY}/1.2`);
    expect(call?.init.method).toBe("POST");
    expect(call?.init.body).toBeUndefined();
    expect(result).toEqual({
      mode: "fetch",
      url: "https://api.poe.com/bot/fetch_settings/MyBot/***/1.2",
      settings: undefined,
      status: 200,
      body: { status: "fetched" },
    });
  });

  it("gives a text answer as text", async () => {
    const { fetch } = recorder(
      () => new Response("ok, fetching", { headers: { "content-type": "text/plain" } }),
    );
    expect((await syncBotSettings("MyBot", TEST_KEY, { fetch })).body).toBe("ok, fetching");
  });

  it("says to check that the bot server is reachable when Poe cannot fetch", async () => {
    const { fetch } = recorder(() => new Response("bot server unreachable", { status: 502 }));
    const error = await rejectionOf(syncBotSettings("MyBot", TEST_KEY, { fetch }));
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(502);
    expect(error.message).toMatch(/reachable by Poe/);
    expect(error.message).toContain("bot server unreachable");
    expectNoKey(error);
  });

  it("times out with a message saying to check the bot server", async () => {
    const error = await rejectionOf(
      syncBotSettings("MyBot", TEST_KEY, { fetch: hangingFetch, timeoutMs: 30 }),
    );
    expect(error).toBeInstanceOf(PoeError);
    expect((error as PoeError).code).toBe("TIMEOUT");
    expect(error.message).toMatch(/timed out after 0\.03 s/);
    expect(error.message).toContain("Check that the bot server is running and reachable");
    expectNoKey(error);
  });
});

describe("syncBotSettings: update mode (settings given)", () => {
  it("POSTs update_settings/<bot>/<key>/1.2 with the serialized settings as JSON", async () => {
    const { calls, fetch } = recorder(() => Response.json({}));
    const result = await syncBotSettings("MyBot", TEST_KEY, {
      fetch,
      settings: {
        introduction_message: "Hi!",
        allow_attachments: null,
        server_bot_dependencies: { "GPT-4o": 1 },
      },
    });
    const [call] = calls;
    expect(call?.url).toBe(`https://api.poe.com/bot/update_settings/MyBot/${TEST_KEY}/1.2`);
    expect(call?.init.method).toBe("POST");
    expect(new Headers(call?.init.headers).get("content-type")).toBe("application/json");
    const sent = {
      introduction_message: "Hi!",
      server_bot_dependencies: { "GPT-4o": 1 },
      response_version: 2,
    };
    expect(JSON.parse(String(call?.init.body))).toEqual(sent);
    expect(result).toMatchObject({ mode: "update", status: 200, settings: sent, body: {} });
    expect(result.url).not.toContain(TEST_KEY);
  });

  it("sends empty settings as just the response version", async () => {
    const { calls, fetch } = recorder();
    await syncBotSettings("MyBot", TEST_KEY, { fetch, settings: {} });
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ response_version: 2 });
  });

  it("refuses invalid settings, naming the field, before sending anything", async () => {
    const { calls, fetch } = recorder();
    const error = await rejectionOf(
      syncBotSettings("MyBot", TEST_KEY, {
        fetch,
        settings: { allow_attachments: "yes" } as unknown as { allow_attachments: boolean },
      }),
    );
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toContain("allow_attachments");
    expect(error.message).toContain("nothing was sent");
    expect(calls).toHaveLength(0);
  });

  it("says to check the bot name and key on 401 and 404, masking a key echoed in the body", async () => {
    for (const status of [401, 404]) {
      const { fetch } = recorder(
        () => new Response(`no bot with key ${TEST_KEY}`, { status, statusText: "Nope" }),
      );
      const error = await rejectionOf(syncBotSettings("MyBot", TEST_KEY, { fetch, settings: {} }));
      expect(error).toBeInstanceOf(HTTPError);
      const http = error as HTTPError;
      expect(http.status).toBe(status);
      expect(http.message).toMatch(/Check the bot name and the access key/);
      expect(http.message).toContain(`HTTP ${status} Nope`);
      expect(http.message).toContain("no bot with key ***");
      expect(http.body).toBe("no bot with key ***");
      expect(http.url).toBe("https://api.poe.com/bot/update_settings/MyBot/***/1.2");
      expectNoKey(error);
    }
  });

  it("says to try again later on a 5xx", async () => {
    const { fetch } = recorder(() => new Response("", { status: 503 }));
    const error = await rejectionOf(syncBotSettings("MyBot", TEST_KEY, { fetch, settings: {} }));
    expect(error.message).toMatch(/try again later/);
    expect(error.message).toMatch(/answer was empty/);
  });

  it("times out with a message saying so", async () => {
    const error = await rejectionOf(
      syncBotSettings("MyBot", TEST_KEY, { fetch: hangingFetch, timeoutMs: 20, settings: {} }),
    );
    expect((error as PoeError).code).toBe("TIMEOUT");
    expect(error.message).toMatch(/timed out/);
    expectNoKey(error);
  });
});

describe("syncBotSettings: everything else", () => {
  it("URL-encodes the path segments and masks the encoded key too", async () => {
    const key = "a/b+c d".padEnd(32, "x");
    const { calls, fetch } = recorder(() => new Response("denied", { status: 403 }));
    const error = await rejectionOf(syncBotSettings("My Bot/2", key, { fetch }));
    expect(calls[0]?.url).toBe(
      `https://api.poe.com/bot/fetch_settings/My%20Bot%2F2/${encodeURIComponent(key)}/1.2`,
    );
    expect((error as HTTPError).url).toBe("https://api.poe.com/bot/fetch_settings/My%20Bot%2F2/***/1.2");
    expect(error.message).not.toContain(encodeURIComponent(key));
  });

  it("uses the baseUrl option, else POE_API_BASE_URL", async () => {
    const { calls, fetch } = recorder();
    await syncBotSettings("B", TEST_KEY, { fetch, baseUrl: "http://127.0.0.1:9/custom" });
    vi.stubEnv("POE_API_BASE_URL", "http://127.0.0.1:7777");
    await syncBotSettings("B", TEST_KEY, { fetch });
    expect(calls.map((call) => call.url)).toEqual([
      `http://127.0.0.1:9/custom/fetch_settings/B/${TEST_KEY}/1.2`,
      `http://127.0.0.1:7777/bot/fetch_settings/B/${TEST_KEY}/1.2`,
    ]);
  });

  it("goes through the fetch override when no fetch is given", async () => {
    const { calls, fetch } = recorder();
    const remove = installFetchOverride(fetch);
    try {
      await syncBotSettings("B", TEST_KEY);
    } finally {
      remove();
    }
    expect(calls).toHaveLength(1);
  });

  it.each([
    ["no bot name", "", TEST_KEY],
    ["a blank bot name", "  ", TEST_KEY],
    ["no access key", "MyBot", ""],
  ])("refuses %s before sending anything", async (_, botName, key) => {
    const { calls, fetch } = recorder();
    const error = await rejectionOf(syncBotSettings(botName, key, { fetch }));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(calls).toHaveLength(0);
  });

  it("reports a connection failure without the key, even when the cause quotes the URL", async () => {
    const fetch: FetchLike = async (input) => {
      throw new TypeError("fetch failed", { cause: new Error(`connect ECONNREFUSED for ${String(input)}`) });
    };
    const error = await rejectionOf(syncBotSettings("MyBot", TEST_KEY, { fetch }));
    expect((error as PoeError).code).toBe("CONNECTION");
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain("fetch_settings/MyBot/***/1.2");
    expectNoKey(error);
  });

  it("rejects with the caller's reason when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = syncBotSettings("MyBot", TEST_KEY, { fetch: hangingFetch, signal: controller.signal });
    const reason = new Error("user cancelled");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it("refuses a timeout that is not a positive number of milliseconds", async () => {
    const { calls, fetch } = recorder();
    await expect(syncBotSettings("B", TEST_KEY, { fetch, timeoutMs: 0 })).rejects.toThrow(
      InvalidParameterError,
    );
    expect(calls).toHaveLength(0);
  });
});

describe("syncBotSettings on a real socket", () => {
  interface Received {
    method: string | undefined;
    url: string | undefined;
    contentType: string | undefined;
    body: string;
  }
  const received: Received[] = [];
  let server: Server;
  let base: string;

  function readBody(request: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      let text = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => {
        text += chunk;
      });
      request.on("end", () => resolve(text));
      request.on("error", reject);
    });
  }

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const body = await readBody(request);
      received.push({
        method: request.method,
        url: request.url,
        contentType: request.headers["content-type"],
        body,
      });
      if (request.url?.includes("/Silent/")) return; // never answers
      if (request.url?.includes("/Unknown/")) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ detail: "Bot not found" }));
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: "ok" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bot/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends update_settings with a JSON body and reads the JSON answer", async () => {
    const result = await syncBotSettings("MyBot", TEST_KEY, {
      baseUrl: base,
      settings: { introduction_message: "Hello" },
    });
    expect(result).toMatchObject({ mode: "update", status: 200, body: { status: "ok" } });
    expect(received.at(-1)).toEqual({
      method: "POST",
      url: `/bot/update_settings/MyBot/${TEST_KEY}/1.2`,
      contentType: "application/json",
      body: JSON.stringify({ introduction_message: "Hello", response_version: 2 }),
    });
  });

  it("sends fetch_settings without a body", async () => {
    await syncBotSettings("MyBot", TEST_KEY, { baseUrl: base });
    expect(received.at(-1)).toMatchObject({ url: `/bot/fetch_settings/MyBot/${TEST_KEY}/1.2`, body: "" });
  });

  it("turns a 404 into an HTTPError without the key", async () => {
    const error = await rejectionOf(syncBotSettings("Unknown", TEST_KEY, { baseUrl: base }));
    expect(error).toBeInstanceOf(HTTPError);
    expect(error.message).toContain("Bot not found");
    expectNoKey(error);
  });

  it("times out when Poe does not answer", async () => {
    const error = await rejectionOf(syncBotSettings("Silent", TEST_KEY, { baseUrl: base, timeoutMs: 100 }));
    expect((error as PoeError).code).toBe("TIMEOUT");
    expectNoKey(error);
  });
});
