import { describe, expect, it } from "vitest";
import { PoeConfigError } from "../core/errors.js";
import { jsonLine, jsonLogger } from "../core/json-logger.js";
import type { LogFields } from "../core/log-fields.js";
import type { Logger } from "../core/logger.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { post, queryBody } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import { PoeBot } from "./poe-bot.js";

interface Call {
  level: string;
  args: unknown[];
}

/** A logger called `info(message, fields)`, recording each call. */
function plainLogger(): Logger & { calls: Call[] } {
  const calls: Call[] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      calls.push({ level, args });
  return { calls, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A logger shaped like pino (a `levels.values` table), recording each call. */
function pinoLikeLogger() {
  const calls: Call[] = [];
  const logger = {
    levels: { values: { debug: 20, info: 30, warn: 40, error: 50 } },
    calls,
    // pino's methods read `this`; a call without it would fail here as it would there.
    debug(this: { calls: Call[] }, ...args: unknown[]) {
      this.calls.push({ level: "debug", args });
    },
    info(this: { calls: Call[] }, ...args: unknown[]) {
      this.calls.push({ level: "info", args });
    },
    warn(this: { calls: Call[] }, ...args: unknown[]) {
      this.calls.push({ level: "warn", args });
    },
    error(this: { calls: Call[] }, ...args: unknown[]) {
      this.calls.push({ level: "error", args });
    },
    child() {
      return logger;
    },
  };
  return logger;
}

class FailingBot extends PoeBot {
  override async *getResponse(_request: QueryRequest) {
    yield "partial";
    throw new Error("upstream model down");
  }
}

const IDS = { requestId: "req-42", bot: "FailBot", type: "query", conversationId: "c-1", messageId: "m-1" };

describe("structured logs", () => {
  it("gives a plain logger the request's ids as fields of a failure's record", async () => {
    const logger = plainLogger();
    const app = makeApp(new FailingBot({ botName: "FailBot" }), { allowWithoutKey: true, logger, env: {} });
    await (await app.fetch(post(queryBody("hi"), { "x-request-id": "req-42" }))).text();
    const failure = logger.calls.find((call) => call.level === "error");
    expect(failure?.args[0]).toBe("Bot FailBot (message m-1) failed");
    expect(failure?.args[1]).toMatchObject({ message: "upstream model down" });
    expect(failure?.args[2]).toEqual(IDS);
  });

  it("calls a pino-shaped logger pino's way: fields (with err) first, then the message", async () => {
    const logger = pinoLikeLogger();
    const app = makeApp(new FailingBot({ botName: "FailBot" }), { allowWithoutKey: true, logger, env: {} });
    await (await app.fetch(post(queryBody("hi"), { "x-request-id": "req-42" }))).text();
    const failure = logger.calls.find((call) => call.level === "error");
    const [fields, message] = failure?.args ?? [];
    expect(message).toBe("Bot FailBot (message m-1) failed");
    expect(fields).toMatchObject(IDS);
    expect((fields as { err: Error }).err.message).toBe("upstream model down");
  });

  it("makes a request id when the client sends none, and a fresh one per request", async () => {
    const logger = plainLogger();
    const app = makeApp(new FailingBot(), { allowWithoutKey: true, logger, env: {} });
    for (let count = 0; count < 2; count++) await (await app.fetch(post(queryBody()))).text();
    const ids = logger.calls
      .filter((call) => call.level === "error")
      .map((call) => (call.args[2] as LogFields).requestId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it("ignores an x-request-id that is not plain", async () => {
    const logger = plainLogger();
    const app = makeApp(new FailingBot(), { allowWithoutKey: true, logger, env: {} });
    await (await app.fetch(post(queryBody(), { "x-request-id": "two words" }))).text();
    const failure = logger.calls.find((call) => call.level === "error");
    const fields = (failure?.args ?? [])[2] as LogFields;
    expect(fields.requestId).not.toBe("two words");
  });

  it("drops records below LOG_LEVEL, and writes debug records at debug", async () => {
    const quiet = plainLogger();
    const app = makeApp(new FailingBot(), {
      allowWithoutKey: true,
      logger: quiet,
      env: { LOG_LEVEL: "ERROR" },
      accessLog: true,
    });
    await (await app.fetch(post(queryBody()))).text();
    expect(quiet.calls.map((call) => call.level)).toEqual(["error"]);

    const chatty = plainLogger();
    const verbose = makeApp(new PoeBot(), {
      allowWithoutKey: true,
      logger: chatty,
      logLevel: "debug",
      env: {},
      accessLog: true,
    });
    await (await verbose.fetch(post(queryBody()))).text();
    expect(chatty.calls.map((call) => call.level)).toEqual(["debug", "info"]);
    expect(chatty.calls[0]?.args[0]).toBe("Request received");
  });

  it("logs nothing at all with LOG_LEVEL=silent", async () => {
    const logger = plainLogger();
    const app = makeApp(new FailingBot(), {
      allowWithoutKey: true,
      logger,
      env: { LOG_LEVEL: "silent" },
      accessLog: true,
    });
    await (await app.fetch(post(queryBody()))).text();
    expect(logger.calls).toEqual([]);
  });

  it("refuses a LOG_LEVEL that is no level, at once", () => {
    expect(() => makeApp(new PoeBot(), { allowWithoutKey: true, env: { LOG_LEVEL: "loud" } })).toThrow(
      new PoeConfigError('LOG_LEVEL must be one of debug, info, warn, error or silent, got "loud".'),
    );
  });

  it("answers as usual when the logger throws", async () => {
    const throwing: Logger = {
      info() {
        throw new Error("disk full");
      },
      warn() {
        throw new Error("disk full");
      },
      error() {
        throw new Error("disk full");
      },
    };
    const app = makeApp(new FailingBot(), {
      allowWithoutKey: true,
      logger: throwing,
      env: {},
      accessLog: true,
    });
    const text = await (await app.fetch(post(queryBody()))).text();
    expect(text).toContain("event: error");
    expect(text).toContain("event: done");
  });

  it("has PoeBot.onError's default log through the app's logger, with the request's ids", async () => {
    const logger = plainLogger();
    const app = makeApp(new PoeBot({ botName: "Reported" }), { allowWithoutKey: true, logger, env: {} });
    const report = { version: "1.2", type: "report_error", message: "bad event", metadata: { line: 3 } };
    expect((await app.fetch(post(report, { "x-request-id": "rep-1" }))).status).toBe(200);
    const warning = logger.calls.find((call) => call.level === "warn");
    expect(warning?.args[0]).toBe('Poe reported an error in a response: bad event {"line":3}');
    expect(warning?.args[1]).toMatchObject({ requestId: "rep-1", bot: "Reported", type: "report_error" });
  });
});

describe("jsonLogger", () => {
  it("writes one JSON line per record: time, level, msg, the fields, and err", () => {
    const lines: string[] = [];
    const logger = jsonLogger((line) => lines.push(line));
    logger.info("hello", { bot: "EchoBot", status: 200, gone: undefined });
    logger.error("failed", new TypeError("bad"), { requestId: "r1" });
    expect(lines).toHaveLength(2);
    const [info, error] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(info).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: "info",
      msg: "hello",
      bot: "EchoBot",
      status: 200,
    });
    expect(error).toMatchObject({
      level: "error",
      msg: "failed",
      requestId: "r1",
      err: { type: "TypeError", message: "bad" },
    });
    expect(error).toMatchObject({ err: { stack: expect.stringContaining("TypeError: bad") } });
  });

  it("keeps a line on one line whatever the message holds", () => {
    expect(jsonLine("warn", "two\nlines", { note: "a\r\nb" })).not.toMatch(/[\r\n]/);
  });
});
