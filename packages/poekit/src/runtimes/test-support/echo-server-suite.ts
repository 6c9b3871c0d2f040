import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryBody, readEvents, TEST_KEY } from "../../test-support/requests.js";

/** A server of examples/echo whose access key is {@link TEST_KEY}, started for one suite. */
export interface EchoServer {
  /** `http://127.0.0.1:<port>`; the bot answers on `/`. */
  url: string;
  stop(): Promise<void>;
}

const MESSAGE = "Grüße aus dem Test ✓ 🚀";

function post(url: string, body: unknown, authorization?: string): Promise<Response> {
  return fetch(`${url}/`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization !== undefined && { authorization }),
    },
    body: JSON.stringify(body),
  });
}

/**
 * The assertions every runtime serving examples/echo must pass, as one suite: a query answered with
 * the same SSE events, a settings request with the same JSON, 401 without the key, and a client that
 * hangs up mid-answer without harm to the next one. Each runtime's test calls it with its own way to
 * start the server, so all of them meet exactly the same checks.
 * @example
 * describeEchoServer("Node run()", async () => {
 *   const server = await run(echoBot, { port: 0, accessKey: TEST_KEY, handleSignals: false });
 *   return { url: server.url, stop: () => server.close() };
 * });
 */
export function describeEchoServer(runtime: string, start: () => Promise<EchoServer>): void {
  describe(`examples/echo served by ${runtime}`, () => {
    let server: EchoServer | undefined;
    let startError: unknown;
    beforeAll(async () => {
      // Kept for each test to throw, so that a runtime that cannot start counts as failed tests.
      try {
        server = await start();
      } catch (error) {
        startError = error;
      }
    });
    afterAll(async () => {
      await server?.stop();
    });
    const url = () => {
      if (!server) throw startError ?? new Error(`${runtime} did not start.`);
      return server.url;
    };

    it("answers a query with a text event and done, as Server-Sent Events", async () => {
      const response = await post(
        url(),
        {
          version: "1.2",
          type: "query",
          query: [
            { role: "user", content: "first" },
            { role: "bot", content: "first" },
            { role: "user", content: MESSAGE },
          ],
          user_id: "u-1",
          conversation_id: "c-1",
          message_id: "m-1",
        },
        `Bearer ${TEST_KEY}`,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(await readEvents(response)).toEqual([
        { event: "text", data: { text: MESSAGE } },
        { event: "done", data: {} },
      ]);
    });

    it("answers a settings request with the bot's settings as JSON", async () => {
      const response = await post(url(), { version: "1.2", type: "settings" }, `Bearer ${TEST_KEY}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual({ response_version: 2 });
    });

    it("refuses a query without an Authorization header, or with another key, with 401", async () => {
      const query = {
        version: "1.2",
        type: "query",
        query: [{ role: "user", content: "hello" }],
        user_id: "u-1",
        conversation_id: "c-1",
        message_id: "m-1",
      };
      const missing = await post(url(), query);
      expect(missing.status).toBe(401);
      expect(missing.headers.get("www-authenticate")).toBe("Bearer");
      expect(((await missing.json()) as { detail: string }).detail).toMatch(/Missing Authorization/);
      const wrong = await post(url(), query, `Bearer ${"x".repeat(32)}`);
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { detail: string }).detail).toMatch(/Invalid access key/);
    });

    it("goes on serving after a client hangs up on an answer it has not read", async () => {
      // About 2 MB of answer, more than the socket buffers hold, so the server is still writing it.
      const long = MESSAGE.repeat(60_000);
      const client = new AbortController();
      const abandoned = await fetch(`${url()}/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TEST_KEY}` },
        body: JSON.stringify(queryBody(long)),
        signal: client.signal,
      });
      expect(abandoned.status).toBe(200);
      client.abort();
      await expect(abandoned.text()).rejects.toThrow();
      const next = await post(url(), queryBody("still here"), `Bearer ${TEST_KEY}`);
      expect(await readEvents(next)).toEqual([
        { event: "text", data: { text: "still here" } },
        { event: "done", data: {} },
      ]);
    });
  });
}
