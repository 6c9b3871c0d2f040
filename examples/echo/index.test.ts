import { makeApp, silentLogger } from "poekit";
import { SseDecoder } from "poekit/protocol";
import { describe, expect, it } from "vitest";
import bot, { EchoBot } from "./index.js";

async function ask(content: string) {
  const app = makeApp(new EchoBot(), { allowWithoutKey: true, logger: silentLogger, env: {} });
  const response = await app.fetch(
    new Request("http://bot.test/", {
      method: "POST",
      body: JSON.stringify({
        version: "1.2",
        type: "query",
        query: [
          { role: "user", content: "first" },
          { role: "bot", content: "first" },
          { role: "user", content },
        ],
        user_id: "u-1",
        conversation_id: "c-1",
        message_id: "m-1",
      }),
    }),
  );
  const decoder = new SseDecoder();
  return [...decoder.push(new Uint8Array(await response.arrayBuffer())), ...decoder.end()];
}

describe("echo", () => {
  it("default-exports a bot", () => {
    expect(bot).toBeInstanceOf(EchoBot);
  });

  it("answers with the user's last message, then done", async () => {
    const events = await ask("What is the capital of Nepal?");
    expect(events).toEqual([
      { event: "text", data: '{"text":"What is the capital of Nepal?"}' },
      { event: "done", data: "{}" },
    ]);
  });
});
