import { describe, expect, it } from "vitest";
import { askOnce, freePort, startCommandServer } from "./command-server.js";
import { queryBody } from "./query.js";

/** A node program that answers every request with `done` on `port`, and prints `line` after `delayMs`. */
function server(port: number, line: string, delayMs: number): string[] {
  const program = `
    const http = require("node:http");
    http.createServer((req, res) => { req.resume(); res.end("event: done\\r\\ndata: {}\\r\\n\\r\\n"); })
      .listen(${port}, "127.0.0.1", () => setTimeout(() => console.log(${JSON.stringify(line)}), ${delayMs}));`;
  return ["-e", program];
}

const body = queryBody("Are you up?");

describe("startCommandServer", () => {
  it("resolves once the command answers, and stop() ends it", async () => {
    const port = await freePort();
    const started = await startCommandServer("plain", server(port, "up", 0), port, body);
    expect(started.url).toBe(`http://127.0.0.1:${port}/`);
    expect(await askOnce(port, body)).toBe(true);
    await started.stop();
    expect(await askOnce(port, body)).toBe(false);
  });

  it("waits for the ready line even though the command answers before it", async () => {
    const port = await freePort();
    const began = performance.now();
    const started = await startCommandServer("late", server(port, "all 2 up", 300), port, body, {
      ready: /all 2 up/,
    });
    expect(performance.now() - began).toBeGreaterThanOrEqual(250);
    await started.stop();
  });

  it("fails with the command's stderr when it exits before serving", async () => {
    const port = await freePort();
    await expect(
      startCommandServer("broken", ["-e", "console.error('no bot here'); process.exit(3)"], port, body),
    ).rejects.toThrow(/broken exited \(3\) before answering: no bot here/);
  });

  it("gives up after the start timeout", async () => {
    const port = await freePort();
    await expect(
      startCommandServer("silent", ["-e", "setTimeout(() => {}, 10_000)"], port, body, {
        startTimeoutMs: 200,
        graceMs: 100,
      }),
    ).rejects.toThrow(/silent was not serving within 0.2 s/);
  });
});
