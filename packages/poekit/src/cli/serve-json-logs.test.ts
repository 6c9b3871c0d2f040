import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../cli/src/test-support/build-if-stale.js";
import {
  type BinProcess,
  cleanEnv,
  freePort,
  QUERY,
  startBin,
  stop,
  waitForOutput,
  withTimeout,
} from "./test-support/bin-process.js";

beforeAll(buildIfStale, 120_000);

// What a user wrote and the bot's key: neither may appear in any line the server writes.
const CONTENT = "canary-content-z9y8x7";
const KEY = "servecanary0123456789abcdefghijk";

describe("poekit serve --log-format json", () => {
  const started: BinProcess[] = [];
  afterEach(() => {
    for (const bin of started.splice(0)) stop(bin.child);
  });

  it("writes one JSON access line per request, with no key and no content, at debug level", async () => {
    const port = await freePort();
    const bin = startBin(
      [
        "serve",
        "examples/echo",
        "--port",
        String(port),
        "--host",
        "127.0.0.1",
        "--access-key",
        KEY,
        "--log-format",
        "json",
      ],
      { env: cleanEnv({ LOG_LEVEL: "debug" }) },
    );
    started.push(bin);
    await waitForOutput(bin, /Serving EchoBot at /);
    const url = `http://127.0.0.1:${port}/`;
    const send = (body: unknown, key = KEY) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      }).then((response) => response.text());
    const query = { ...QUERY, query: [{ role: "user", content: CONTENT }] };
    expect(await send(query)).toContain(CONTENT);
    await send({ ...query, message_id: "m-2" });
    await send(query, `${KEY.slice(0, -1)}x`);
    await send({ ...query, user_id: 7 });

    bin.child.kill("SIGTERM");
    const finished = await withTimeout(bin.exited, 10_000, "poekit serve did not stop");
    const lines = finished.stdout.trim().split("\n");
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = records.filter((record) => record.requestId !== undefined && record.status !== undefined);
    expect(
      access.map(({ type, status, outcome, messageId }) => ({ type, status, outcome, messageId })),
    ).toEqual([
      { type: "query", status: 200, outcome: "done", messageId: "m-1" },
      { type: "query", status: 200, outcome: "done", messageId: "m-2" },
      { type: undefined, status: 401, outcome: "rejected", messageId: undefined },
      { type: undefined, status: 400, outcome: "rejected", messageId: undefined },
    ]);
    expect(access[0]).toMatchObject({
      level: "info",
      bot: "EchoBot",
      conversationId: "c-1",
      events: 1,
      characters: CONTENT.length,
      upstreamCalls: 0,
      firstByteMs: expect.any(Number),
      durationMs: expect.any(Number),
    });
    expect(records.some((record) => record.level === "debug")).toBe(true);
    const everything = finished.stdout + finished.stderr;
    expect(everything).not.toContain(CONTENT);
    expect(everything).not.toContain(KEY);
  });

  it("refuses a format it does not know, on one line, exit code 2", async () => {
    const bin = startBin(["serve", "examples/echo", "--allow-without-key", "--log-format", "xml"]);
    started.push(bin);
    const finished = await withTimeout(bin.exited, 10_000, "poekit serve did not exit");
    expect(finished.code).toBe(2);
    expect(finished.stderr).toBe('poekit: error: --log-format must be json or pretty, got "xml".\n');
  });
});
