import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BotError,
  BotErrorNoRetry,
  HTTPError,
  InvalidParameterError,
  ProtocolError,
} from "../core/errors.js";
import { DataResponse, MetaResponse, type PartialResponse } from "../core/responses.js";
import { fakeFetch, sseResponse } from "../test-support/fake-fetch.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import type { OnError } from "./bot-query.js";
import type { BotMessage } from "./response-reader.js";
import { type StreamRequestOptions, streamRequest } from "./stream-request.js";

const BASE = "http://poe.test/bot/";
const TEXT_DONE = [
  ["text", { text: "hi" }],
  ["done", {}],
] as const;

function quiet(): OnError & { seen: string[] } {
  const seen: string[] = [];
  return Object.assign((_: Error, message: string) => void seen.push(message), { seen });
}

/** A sleep that records delays and returns at once; jitter fixed at the middle. */
function instantRetries(tries = 3) {
  const delays: number[] = [];
  return {
    delays,
    retries: { tries, random: () => 0.5, sleep: async (ms: number) => void delays.push(ms) },
  };
}

async function collect(
  fetch: ReturnType<typeof fakeFetch>,
  options: StreamRequestOptions = {},
  request = queryBody("hello"),
): Promise<BotMessage[]> {
  const out: BotMessage[] = [];
  for await (const message of streamRequest(request as never, "Upstream", TEST_KEY, {
    baseUrl: BASE,
    fetch,
    onError: quiet(),
    ...options,
  })) {
    out.push(message);
  }
  return out;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("streamRequest: the request", () => {
  it("POSTs the full query request, version 1.2, with a Bearer key and SSE accept header", async () => {
    const fetch = fakeFetch([sseResponse(TEXT_DONE)]);
    await collect(fetch, {}, queryBody("hello", { version: "1.0", temperature: 0.3 }));
    const [seen] = fetch.requests;
    expect(seen?.url).toBe("http://poe.test/bot/Upstream");
    expect(seen?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(seen?.headers.accept).toBe("text/event-stream");
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.body).toMatchObject({
      version: "1.2",
      type: "query",
      query: [{ role: "user", content: "hello" }],
      temperature: 0.3,
      // Defaults are filled in, as Poe's own client sends every field.
      skip_system_prompt: false,
      language_code: "en",
      tools: null,
    });
  });

  it("never puts a key in the body, even when forwarding a request that carries the bot's own", async () => {
    const fetch = fakeFetch([sseResponse(TEXT_DONE)]);
    await collect(fetch, {}, queryBody("hi", { access_key: TEST_KEY, api_key: TEST_KEY }));
    expect(fetch.requests[0]?.body).toMatchObject({ access_key: "<missing>", api_key: "<missing>" });
    expect(JSON.stringify(fetch.requests[0]?.body)).not.toContain(TEST_KEY);
  });

  it("lets extra headers win and encodes the bot name", async () => {
    const fetch = fakeFetch([sseResponse(TEXT_DONE)]);
    const messages = streamRequest(queryBody() as never, "My Bot/1", TEST_KEY, {
      baseUrl: "http://poe.test/bot",
      fetch,
      headers: { "x-trace": "1", accept: "*/*" },
    });
    for await (const _ of messages);
    expect(fetch.requests[0]?.url).toBe("http://poe.test/bot/My%20Bot%2F1");
    expect(fetch.requests[0]?.headers).toMatchObject({ "x-trace": "1", accept: "*/*" });
  });

  it("uses POE_API_BASE_URL when no base URL is given", async () => {
    vi.stubEnv("POE_API_BASE_URL", "http://127.0.0.1:7777");
    const fetch = fakeFetch([sseResponse(TEXT_DONE)]);
    await collect(fetch, { baseUrl: undefined });
    expect(fetch.requests[0]?.url).toBe("http://127.0.0.1:7777/bot/Upstream");
  });

  it("refuses to call Poe without a key, and sends no Authorization elsewhere without one", async () => {
    const fetch = fakeFetch([sseResponse(TEXT_DONE)]);
    expect(() => streamRequest(queryBody() as never, "GPT-4o", "<missing>", { fetch })).toThrow(
      InvalidParameterError,
    );
    expect(() => streamRequest(queryBody() as never, "GPT-4o", "", { fetch })).toThrow(/request\.access_key/);
    for await (const _ of streamRequest(queryBody() as never, "Upstream", "<missing>", {
      baseUrl: BASE,
      fetch,
    }));
    expect(fetch.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("refuses an invalid request or bot name before sending anything", () => {
    const fetch = fakeFetch([sseResponse(TEXT_DONE)]);
    expect(() => streamRequest({ ...queryBody(), query: "hi" } as never, "B", TEST_KEY, { fetch })).toThrow(
      /invalid query request: query/,
    );
    expect(() => streamRequest(queryBody() as never, " ", TEST_KEY, { fetch })).toThrow(/name of the bot/);
    expect(() => streamRequest(queryBody() as never, "B", TEST_KEY, { fetch, timeoutMs: 0 })).toThrow(
      /timeoutMs must be/,
    );
    expect(fetch.requests).toHaveLength(0);
  });
});

describe("streamRequest: events", () => {
  it("maps every event kind to its response object", async () => {
    const fetch = fakeFetch([
      sseResponse([
        ["meta", { content_type: "text/plain", suggested_replies: true }],
        ["text", { text: "Hello", index: 1 }],
        ["replace_response", { text: "Bye" }],
        ["suggested_reply", { text: "More?" }],
        ["json", { choices: [] }],
        ["file", { url: "https://f/a.png", content_type: "image/png", name: "a.png", inline_ref: "ab12" }],
        ["data", { metadata: "kept" }],
        ["ping", {}],
        ["done", {}],
      ]),
    ]);
    const [meta, text, replace, suggested, json, file, data, ...rest] = await collect(fetch);
    expect(rest).toEqual([]);
    expect(meta).toBeInstanceOf(MetaResponse);
    expect(meta).toMatchObject({ content_type: "text/plain", suggested_replies: true, linkify: false });
    expect(text).toMatchObject({ text: "Hello", index: 1, is_replace_response: false });
    expect(replace).toMatchObject({ text: "Bye", is_replace_response: true });
    expect(suggested).toMatchObject({ text: "More?", is_suggested_reply: true });
    expect(json).toMatchObject({ text: "", data: { choices: [] } });
    expect((file as PartialResponse).attachment).toEqual({
      url: "https://f/a.png",
      content_type: "image/png",
      name: "a.png",
      inline_ref: "ab12",
      parsed_content: null,
    });
    expect(data).toBeInstanceOf(DataResponse);
    expect((data as DataResponse).metadata).toBe("kept");
    expect(fetch.reports).toEqual([]);
  });

  it("gives a meta event without fields the wire defaults", async () => {
    const fetch = fakeFetch([sseResponse([["meta", {}], ...TEXT_DONE])]);
    const [meta] = await collect(fetch);
    expect(meta).toMatchObject({ content_type: "text/markdown", suggested_replies: false, linkify: false });
  });

  it("throws BotError for a retryable error event, BotErrorNoRetry otherwise, with the event's details", async () => {
    const retryable = fakeFetch([sseResponse([["error", { text: "busy", error_type: "rate_limit" }]])]);
    const error = await collect(retryable, { retries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect(error).not.toBeInstanceOf(BotErrorNoRetry);
    expect(error).toMatchObject({
      message: "busy",
      allowRetry: true,
      errorType: "rate_limit",
      botName: "Upstream",
    });

    const final = fakeFetch([sseResponse([["error", { allow_retry: false }]])]);
    const noRetry = await collect(final).catch((e: unknown) => e);
    expect(noRetry).toBeInstanceOf(BotErrorNoRetry);
    expect(noRetry).toMatchObject({ retryable: false, message: "Bot Upstream answered with an error." });
  });

  it("stops at done and does not read what follows", async () => {
    const fetch = fakeFetch([sseResponse([...TEXT_DONE, ["text", { text: "late" }]])]);
    expect((await collect(fetch)).map((m) => (m as PartialResponse).text)).toEqual(["hi"]);
  });

  it("does not report a missing text when tools were offered", async () => {
    const fetch = fakeFetch([
      sseResponse([
        ["json", { choices: [] }],
        ["done", {}],
      ]),
    ]);
    await collect(fetch, { tools: [{ name: "f", parameters: { type: "object", properties: {} } }] });
    expect(fetch.reports).toEqual([]);
  });

  it("turns an HTTP error into HTTPError with status and body", async () => {
    const fetch = fakeFetch([new Response('{"detail":"Invalid access key."}', { status: 401 })]);
    const error = await collect(fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 401, body: '{"detail":"Invalid access key."}' });
    expect((error as Error).message).toContain("Invalid access key.");
  });
});

describe("streamRequest: retries", () => {
  it.each([408, 429, 500, 502, 503])("retries HTTP %i and succeeds", async (status) => {
    const { delays, retries } = instantRetries();
    const fetch = fakeFetch([new Response("busy", { status }), sseResponse(TEXT_DONE)]);
    const out = await collect(fetch, { retries });
    expect(out).toHaveLength(1);
    expect(fetch.requests).toHaveLength(2);
    expect(delays).toEqual([375]);
  });

  it.each([400, 401, 403, 404, 413])("does not retry HTTP %i", async (status) => {
    const { delays, retries } = instantRetries();
    const fetch = fakeFetch([new Response("no", { status }), sseResponse(TEXT_DONE)]);
    await expect(collect(fetch, { retries })).rejects.toBeInstanceOf(HTTPError);
    expect(fetch.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("makes as many tries as asked, backing off exponentially, then throws the last error", async () => {
    const { delays, retries } = instantRetries(4);
    const fetch = fakeFetch([new Response("down", { status: 503 })]);
    const error = await collect(fetch, { retries }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, body: "down" });
    expect(fetch.requests).toHaveLength(4);
    expect(delays).toEqual([375, 750, 1500]);
  });

  it("defaults to two tries", async () => {
    const { delays } = instantRetries();
    const fetch = fakeFetch([new Response("down", { status: 500 })]);
    const sleep = async (ms: number) => void delays.push(ms);
    await expect(collect(fetch, { retries: { sleep } })).rejects.toBeInstanceOf(HTTPError);
    expect(fetch.requests).toHaveLength(2);
  });

  it("waits as long as retry-after says, and gives up when it asks for too long", async () => {
    const { delays, retries } = instantRetries();
    const fetch = fakeFetch([
      new Response("slow down", { status: 429, headers: { "retry-after": "7" } }),
      sseResponse(TEXT_DONE),
    ]);
    await collect(fetch, { retries });
    expect(delays).toEqual([7000]);

    const tooLong = fakeFetch([new Response("later", { status: 429, headers: { "retry-after": "3600" } })]);
    await expect(collect(tooLong, { retries })).rejects.toMatchObject({ status: 429, retryAfter: "3600" });
    expect(tooLong.requests).toHaveLength(1);
  });

  it("retries connection errors, and says what failed when they persist", async () => {
    const { retries } = instantRetries(2);
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const fetch = fakeFetch([refused]);
    const error = await collect(fetch, { retries }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as Error).message).toBe(
      "Error communicating with bot Upstream: fetch failed (ECONNREFUSED)",
    );
    expect((error as Error).cause).toBe(refused);
    expect(fetch.requests).toHaveLength(2);
  });

  it("retries a connection that breaks before any output, and reports one that breaks after", async () => {
    const broken = (prefix: string) => () =>
      new Response(
        new ReadableStream({
          // Pulled: an error in start() would discard what was queued before it.
          pull(controller) {
            if (prefix) controller.enqueue(new TextEncoder().encode(prefix));
            else controller.error(new TypeError("terminated"));
            prefix = "";
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    const { retries } = instantRetries();
    const early = fakeFetch([broken(""), sseResponse(TEXT_DONE)]);
    expect(await collect(early, { retries })).toHaveLength(1);
    expect(early.requests).toHaveLength(2);

    const late = fakeFetch([broken('event: text\ndata: {"text":"a"}\n\n'), sseResponse(TEXT_DONE)]);
    const error = await collect(late, { retries }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as Error).message).toBe("Error communicating with bot Upstream: terminated");
    expect(late.requests).toHaveLength(1);
  });

  it("treats whatever the fetch throws as a transport failure, retried", async () => {
    const { retries } = instantRetries();
    const bug = new RangeError("not a network problem");
    const fetch = fakeFetch([
      () => {
        throw bug;
      },
    ]);
    // A fetch that throws is a transport failure from the client's view: wrapped, and retried.
    await expect(collect(fetch, { retries })).rejects.toMatchObject({ cause: bug });
    expect(fetch.requests).toHaveLength(3);
  });

  it("retries a retryable error event that came before any output", async () => {
    const { retries } = instantRetries();
    const fetch = fakeFetch([sseResponse([["error", { text: "try again" }]]), sseResponse(TEXT_DONE)]);
    expect(await collect(fetch, { retries })).toHaveLength(1);
    expect(fetch.requests).toHaveLength(2);
  });

  it("never retries once something reached the caller", async () => {
    const { retries } = instantRetries();
    const fetch = fakeFetch([
      sseResponse([
        ["text", { text: "partial" }],
        ["error", { text: "boom" }],
      ]),
      sseResponse(TEXT_DONE),
    ]);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const message of streamRequest(queryBody() as never, "Upstream", TEST_KEY, {
        baseUrl: BASE,
        fetch,
        retries,
        onError: quiet(),
      })) {
        seen.push((message as PartialResponse).text);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["partial"]);
    expect(error).toMatchObject({ message: "boom" });
    expect(fetch.requests).toHaveLength(1);
  });

  it("counts a meta event as output", async () => {
    const { retries } = instantRetries();
    const fetch = fakeFetch([
      sseResponse([
        ["meta", {}],
        ["error", { text: "boom" }],
      ]),
      sseResponse(TEXT_DONE),
    ]);
    await expect(collect(fetch, { retries })).rejects.toMatchObject({ message: "boom" });
    expect(fetch.requests).toHaveLength(1);
  });

  it("does not retry BotErrorNoRetry or protocol errors", async () => {
    const { retries } = instantRetries();
    const noRetry = fakeFetch([sseResponse([["error", { allow_retry: false }]]), sseResponse(TEXT_DONE)]);
    await expect(collect(noRetry, { retries })).rejects.toBeInstanceOf(BotErrorNoRetry);
    expect(noRetry.requests).toHaveLength(1);
    const broken = fakeFetch([sseResponse([["text", "not json"]]), sseResponse(TEXT_DONE)]);
    await expect(collect(broken, { retries })).rejects.toBeInstanceOf(ProtocolError);
    expect(broken.requests).toHaveLength(1);
  });

  it("tells onError about each failed try", async () => {
    const { retries } = instantRetries();
    const onError = quiet();
    const fetch = fakeFetch([new Response("x", { status: 500 }), sseResponse(TEXT_DONE)]);
    await collect(fetch, { retries, onError });
    expect(onError.seen).toEqual(["Bot request to Upstream failed on try 1"]);
  });

  it("stops waiting and throws the reason when the signal aborts during backoff", async () => {
    const controller = new AbortController();
    const fetch = fakeFetch([new Response("x", { status: 500 }), sseResponse(TEXT_DONE)]);
    const sleep = async () => {
      controller.abort(new Error("user left"));
      throw controller.signal.reason;
    };
    await expect(collect(fetch, { retries: { sleep }, signal: controller.signal })).rejects.toThrow(
      "user left",
    );
    expect(fetch.requests).toHaveLength(1);
  });
});

describe("streamRequest: lifetime", () => {
  it("aborts the HTTP request when the caller leaves the loop", async () => {
    const fetch = fakeFetch([
      sseResponse([
        ["text", { text: "a" }],
        ["text", { text: "b" }],
        ["done", {}],
      ]),
    ]);
    for await (const _ of streamRequest(queryBody() as never, "Upstream", TEST_KEY, { baseUrl: BASE, fetch }))
      break;
    expect(fetch.requests[0]?.signal?.aborted).toBe(true);
  });

  it("accepts no time limit at all", async () => {
    // Slow enough that a timer armed with Infinity (which Node runs after 1 ms) would fire first.
    const fetch = fakeFetch([
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return sseResponse(TEXT_DONE);
      },
    ]);
    expect(await collect(fetch, { timeoutMs: Number.POSITIVE_INFINITY })).toHaveLength(1);
  });

  it("releases a failed try's connection before waiting to retry", async () => {
    let firstAborted: boolean | undefined;
    const fetch = fakeFetch([new Response("busy", { status: 503 }), sseResponse(TEXT_DONE)]);
    const sleep = async () => {
      firstAborted = fetch.requests[0]?.signal?.aborted;
    };
    await collect(fetch, { retries: { sleep } });
    expect(firstAborted).toBe(true);
  });

  it("does not hold events back while a report is on its way, and reports each kind once", async () => {
    let releaseReports: () => void = () => {};
    const reportsHeld = new Promise<void>((resolve) => {
      releaseReports = resolve;
    });
    const events: Array<readonly [string, unknown]> = [];
    for (let i = 0; i < 30; i++) events.push(["progress", { i }], ["text", { text: `${i} ` }]);
    events.push(["done", {}]);
    const reports: unknown[] = [];
    const fetch = fakeFetch([sseResponse(events)]);
    const slowReports: typeof fetch = Object.assign(
      async (input: string | URL | Request, init?: RequestInit) => {
        if (String(init?.body).includes('"report_error"')) {
          reports.push(JSON.parse(String(init?.body)));
          await reportsHeld;
          return new Response("{}");
        }
        return fetch(input, init);
      },
      { requests: fetch.requests, reports: fetch.reports },
    );
    const seen: string[] = [];
    const finished = (async () => {
      for await (const message of streamRequest(queryBody() as never, "Upstream", TEST_KEY, {
        baseUrl: BASE,
        fetch: slowReports,
        onError: quiet(),
      })) {
        seen.push((message as PartialResponse).text);
      }
    })();
    // Every event arrives although the report has not been answered.
    await vi.waitFor(() => expect(seen).toHaveLength(30));
    expect(reports).toHaveLength(1);
    releaseReports();
    await finished;
    expect(reports).toMatchObject([{ message: "Unknown event type: progress" }]);
  });

  it("times out a response that takes too long", async () => {
    const fetch = fakeFetch([
      (seen) =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('event: text\ndata: {"text":"a"}\n\n'));
              seen.signal?.addEventListener("abort", () => controller.error(seen.signal?.reason));
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        ),
    ]);
    const error = await collect(fetch, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as Error).message).toBe("Bot Upstream did not finish its response within 50 ms.");
  });
});
