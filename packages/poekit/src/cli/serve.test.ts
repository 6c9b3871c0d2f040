import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../node/run.js";
import { SseDecoder } from "../protocol/sse-decoder.js";
import { loadBotModule } from "./load-bots.js";
import { serve } from "./serve-action.js";
import type { ServeFlags } from "./serve-options.js";
import { UserError } from "./user-error.js";

const fixture = (name: string) => fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url));
const KEY = "0123456789abcdefghijklmnopqrstuv";
const local = (extra: Partial<ServeFlags> = {}): ServeFlags => ({
  host: "127.0.0.1",
  port: "0",
  syncSettings: false,
  ...extra,
});

async function ask(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({
      version: "1.2",
      type: "query",
      query: [{ role: "user", content: "hello there" }],
      user_id: "u-1",
      conversation_id: "c-1",
      message_id: "m-1",
    }),
  });
  if (response.status !== 200) return { status: response.status, events: [] };
  const decoder = new SseDecoder();
  const events = [...decoder.push(await response.text()), ...decoder.end()];
  return { status: response.status, events: events.map((event) => [event.event, event.data]) };
}

describe("serve() (the handler of poekit serve, in-process)", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close(0);
    server = undefined;
    // Modules stay cached for the whole file, and serve() gives a keyless bot the key it was given.
    for (const bot of (await loadBotModule("examples/echo")).bots) bot.accessKey = null;
  });

  it("serves a folder's bot, answering as Poe expects", async () => {
    server = await serve(["examples/echo"], local({ allowWithoutKey: true }));
    const answer = await ask(server.url);
    expect(answer.status).toBe(200);
    expect(answer.events.at(-1)).toEqual(["done", "{}"]);
    expect(answer.events.map(([name]) => name)).toContain("text");
  });

  it("requires the key given with --access-key", async () => {
    server = await serve(["examples/echo"], local({ accessKey: KEY }));
    expect((await ask(server.url)).status).toBe(401);
    expect((await ask(server.url, { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await ask(server.url, { authorization: `Bearer ${KEY}` })).status).toBe(200);
  });

  it("takes the key from POE_ACCESS_KEY and the port from PORT", async () => {
    server = await serve(
      ["examples/echo"],
      { host: "127.0.0.1", syncSettings: false },
      {
        POE_ACCESS_KEY: KEY,
        PORT: "0",
      },
    );
    expect((await ask(server.url)).status).toBe(401);
    expect((await ask(server.url, { authorization: `Bearer ${KEY}` })).status).toBe(200);
  });

  it("serves several modules, moving bots on / to /<module name>", async () => {
    server = await serve(["examples/echo", fixture("two-bots.mts")], local({ allowWithoutKey: true }));
    for (const path of ["echo", "first", "second"]) {
      expect((await ask(new URL(path, `${server.url}/`).href)).status).toBe(200);
    }
  });

  it.each([
    [
      "--access-key with several bots",
      local({ accessKey: KEY }),
      [fixture("two-bots.mts")],
      "--access-key is the key of a single bot, but 2 bots are being served",
    ],
    [
      "--bot-name with several bots",
      local({ botName: "X", allowWithoutKey: true }),
      [fixture("two-bots.mts")],
      "--bot-name names a single bot, but 2 bots are being served",
    ],
    ["a bad --grace", local({ grace: "soon", allowWithoutKey: true }), ["examples/echo"], "--grace must be"],
    ["a bad --port", local({ port: "http", allowWithoutKey: true }), ["examples/echo"], "--port"],
    ["a missing module", local({ allowWithoutKey: true }), ["examples/nope"], "examples/nope"],
  ])(
    "refuses %s with a UserError or config error, before serving",
    async (_name, flags, modules, message) => {
      const attempt = serve(modules, flags);
      await expect(attempt).rejects.toThrow(message);
      await attempt.catch((error: Error) => {
        expect(error instanceof UserError || error.name === "PoeConfigError").toBe(true);
      });
    },
  );

  it("refuses to serve a keyless bot without --allow-without-key, saying both ways out", async () => {
    await expect(serve(["examples/echo"], local(), {})).rejects.toThrow(/access key/i);
  });
});
