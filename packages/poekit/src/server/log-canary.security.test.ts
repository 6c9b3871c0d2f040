import { describe, expect, it } from "vitest";
import { streamRequest } from "../client/stream-request.js";
import type { Logger } from "../core/logger.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { fakeFetch } from "../test-support/fake-fetch.js";
import { post, queryBody } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import { PoeBot } from "./poe-bot.js";

// Words that must never reach a log: what the user wrote, and the bot's access key.
const CONTENT = "canary-content-q8w7e6r5";
const KEY = "canarykey0123456789abcdefghijklm";

/** Everything given to a logger, as text: messages, fields, and failures with their stacks. */
function capturingLogger(): Logger & { text: () => string } {
  const seen: string[] = [];
  const capture = (...args: unknown[]) => {
    for (const arg of args) {
      seen.push(arg instanceof Error ? `${arg.message}\n${arg.stack}` : (JSON.stringify(arg) ?? String(arg)));
    }
  };
  return { debug: capture, info: capture, warn: capture, error: capture, text: () => seen.join("\n") };
}

class Busy extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    const text = request.query.at(-1)?.content ?? "";
    if (text.endsWith("fail")) throw new Error("the model is down");
    if (text.endsWith("upstream")) {
      const fetch = fakeFetch([new Response("no", { status: 500 })]);
      for await (const message of streamRequest(request, "Up", request.access_key, {
        fetch,
        retries: 0,
        onError() {},
      }))
        yield message;
    }
    yield text;
  }
}

describe("no log record holds a key or what a user wrote", () => {
  it("at debug level, through answers, failures, refusals, settings and reports", async () => {
    const logger = capturingLogger();
    const records: unknown[] = [];
    const app = makeApp(new Busy({ botName: "Busy", accessKey: KEY }), {
      logger,
      logLevel: "debug",
      accessLog: true,
      onRequestEnd: (record) => records.push(record),
      env: {},
    });
    const auth = { authorization: `Bearer ${KEY}` };
    const bodies = [
      queryBody(CONTENT),
      queryBody(`${CONTENT} fail`),
      queryBody(`${CONTENT} upstream`),
      { ...queryBody(CONTENT), user_id: 7 }, // malformed: 400
      { version: "1.2", type: "settings" },
      { version: "1.2", type: "report_error", message: "bad event", metadata: {} },
    ];
    for (const body of bodies) await (await app.fetch(post(body, auth))).text();
    await (await app.fetch(post(queryBody(CONTENT), { authorization: `Bearer ${KEY.slice(1)}x` }))).text();
    await (await app.fetch(post(`{"query": "${CONTENT}`, auth))).text();

    const logged = `${logger.text()}\n${JSON.stringify(records)}`;
    // The records were made: the test would pass vacuously otherwise.
    expect(records).toHaveLength(bodies.length + 2);
    expect(logged).toContain("the model is down");
    expect(logged).toContain("Request received");
    expect(logged).not.toContain(CONTENT);
    expect(logged).not.toContain(KEY);
    expect(logged).not.toContain(KEY.slice(0, 16));
  });
});
