import { makeApp, silentLogger } from "poekit";
import { createTestClient } from "poekit/testing";
import { describe, expect, it } from "vitest";
import { builtinBots, EchoBot, ScriptedLLM } from "./index.js";

describe("builtinBots", () => {
  it("returns Echo and ScriptedLLM on their own paths", () => {
    const bots = builtinBots();
    expect(bots.map((bot) => [bot.constructor, bot.botName, bot.path])).toEqual([
      [EchoBot, "Echo", "/Echo"],
      [ScriptedLLM, "ScriptedLLM", "/ScriptedLLM"],
    ]);
  });

  it("makes new instances each time", () => {
    expect(builtinBots()[0]).not.toBe(builtinBots()[0]);
  });

  it("can be served together without a key, each answering on its path", async () => {
    const app = makeApp(builtinBots(), { allowWithoutKey: true, logger: silentLogger });
    const echo = await createTestClient(app, { path: "/Echo" }).query("ping");
    const scripted = await createTestClient(app, { path: "/ScriptedLLM" }).query("ping");
    expect(echo.text).toBe("ping");
    expect(scripted.text).toBe('You said: "ping". You have sent 1 message in this conversation.');
  });
});
