import { Agent, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { timeFirstText } from "./first-text.js";

let server: Server | undefined;
const closeServer = () => new Promise((resolve) => server?.close(resolve));
afterEach(closeServer);

/** A server that writes `parts` one after another, `gapMs` apart, with the given status. */
async function serve(parts: string[], { status = 200, gapMs = 0 } = {}): Promise<string> {
  server = createServer(async (req, res) => {
    req.resume();
    res.writeHead(status, { "content-type": "text/event-stream; charset=utf-8" });
    for (const part of parts) {
      res.write(part);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function post(url: string) {
  const agent = new Agent({ keepAlive: true });
  try {
    return await timeFirstText(url, { headers: {}, body: "{}", agent });
  } finally {
    agent.destroy();
  }
}

describe("timeFirstText", () => {
  it("times the first text event, not the first byte, and the whole answer", async () => {
    const url = await serve(
      [
        'event: meta\r\ndata: {"content_type":"text/markdown"}\r\n\r\n',
        'event: text\r\ndata: {"text":"Hel',
        'lo"}\r\n\r\nevent: text\r\ndata: {"text":"!"}\r\n\r\n',
        "event: done\r\ndata: {}\r\n\r\n",
      ],
      { gapMs: 40 },
    );
    const answer = await post(url);
    expect(answer.events).toEqual(["meta", "text", "text", "done"]);
    expect(answer.text).toBe("Hello!");
    // The text event completes with the third write, two gaps after the first.
    expect(answer.firstTextMs).toBeGreaterThanOrEqual(75);
    expect(answer.totalMs).toBeGreaterThanOrEqual(answer.firstTextMs + 35);
  });

  it("refuses an answer that is not a 200, or has no text, or no done", async () => {
    await expect(post(await serve(["{}"], { status: 401 }))).rejects.toThrow(/answered 401/);
    await closeServer();
    await expect(post(await serve(["event: done\r\ndata: {}\r\n\r\n"]))).rejects.toThrow(
      /without a text event and done: done/,
    );
    await closeServer();
    await expect(post(await serve(['event: text\r\ndata: {"text":"a"}\r\n\r\n']))).rejects.toThrow(
      /without a text event and done: text/,
    );
  });
});
