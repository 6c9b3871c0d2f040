import { makeApp, silentLogger } from "poekit";
import { SseDecoder } from "poekit/protocol";
import { describe, expect, it } from "vitest";
import { BusyBot, busyWork } from "./busy-bot.js";

describe("BusyBot", () => {
  it("does a fixed amount of work, the same result every time", () => {
    expect(busyWork(1000)).toBe(3_298_996_588);
    expect(busyWork(1000)).toBe(busyWork(1000));
    expect(busyWork(1001)).not.toBe(busyWork(1000));
  });

  it("answers with the echo of the last message and the result of its work", async () => {
    const app = makeApp(new BusyBot(1000), { allowWithoutKey: true, logger: silentLogger, env: {} });
    const response = await app.fetch(
      new Request("http://bot.test/", {
        method: "POST",
        body: JSON.stringify({
          version: "1.2",
          type: "query",
          query: [{ role: "user", content: "Hello" }],
          user_id: "u",
          conversation_id: "c",
          message_id: "m",
        }),
      }),
    );
    const decoder = new SseDecoder();
    const events = [...decoder.push(new Uint8Array(await response.arrayBuffer())), ...decoder.end()];
    expect(events).toEqual([
      { event: "text", data: '{"text":"Hello (3298996588)"}' },
      { event: "done", data: "{}" },
    ]);
  });
});
