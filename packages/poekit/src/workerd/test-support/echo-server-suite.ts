import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, TEST_KEY } from "../../test-support/requests.js";

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
 * the same SSE events, a settings request with the same JSON, and 401 without the key. Each runtime's
 * test calls it with its own way to start the server, so all of them meet exactly the same checks.
 * @example
 * describeEchoServer("Node run()", async () => {
 *   const server = await run(echoBot, { port: 0, accessKey: TEST_KEY, handleSignals: false });
 *   return { url: server.url, stop: () => server.close() };
 * });
 */
export function describeEchoServer(runtime: string, start: () => Promise<EchoServer>): void {
  describe(`examples/echo served by ${runtime}`, () => {
    let server: EchoServer | undefined;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(async () => {
      await server?.stop();
    });
    const url = () => {
      if (!server) throw new Error(`${runtime} did not start.`);
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
  });
}
