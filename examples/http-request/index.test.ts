import { makeApp, silentLogger } from "poekit";
import { run } from "poekit/node";
import { SseDecoder } from "poekit/protocol";
import { createTestClient } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { describeUrl, HttpRequestBot } from "./index.js";

/** A query body as Poe sends it; the bot reads only the HTTP request around it. */
const QUERY = JSON.stringify({
  version: "1.2",
  type: "query",
  query: [{ role: "user", content: "Where am I?" }],
  user_id: "u-1",
  conversation_id: "c-1",
  message_id: "m-1",
});

describe("http-request", () => {
  it("default-exports the bot", () => {
    expect(bot).toBeInstanceOf(HttpRequestBot);
  });

  it("shows the URL, path and query parameters, in plain text", async () => {
    const app = makeApp(new HttpRequestBot(), { allowWithoutKey: true, logger: silentLogger, env: {} });
    const response = await app.fetch(
      new Request("https://bots.example/?lang=en&tone=dry&tone=warm&note=a%20b%26c", {
        method: "POST",
        body: QUERY,
      }),
    );
    const decoder = new SseDecoder();
    const events = [...decoder.push(new Uint8Array(await response.arrayBuffer())), ...decoder.end()];
    expect(events[0]).toEqual({
      event: "meta",
      data: expect.stringContaining('"content_type":"text/plain"'),
    });
    const answer = events
      .filter((event) => event.event === "text")
      .map((event) => JSON.parse(event.data).text)
      .join("");
    expect(answer).toBe(
      [
        "POST request received.",
        "URL: https://bots.example/?lang=en&tone=dry&tone=warm&note=a%20b%26c",
        "Path: /",
        "Query parameters (4):",
        "  lang = en",
        "  tone = dry",
        "  tone = warm",
        "  note = a b&c",
      ].join("\n"),
    );
    expect(events.at(-1)).toEqual({ event: "done", data: "{}" });
  });

  it("says so when there are no query parameters", async () => {
    const response = await createTestClient(new HttpRequestBot()).query("hi");
    expect(response.meta).toMatchObject({ content_type: "text/plain", suggested_replies: false });
    expect(response.text).toContain("URL: http://poekit.test/\nPath: /\nQuery parameters: none.");
  });

  it("sees the URL a real HTTP server received", async () => {
    const server = await run(new HttpRequestBot({ path: "/where" }), {
      port: 0,
      host: "127.0.0.1",
      allowWithoutKey: true,
      handleSignals: false,
      logger: silentLogger,
      env: {},
    });
    try {
      const response = await fetch(`${server.url}/where?level=hard`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: QUERY,
      });
      const text = await response.text();
      expect(text).toContain(`URL: ${server.url}/where?level=hard`);
      expect(text).toContain("level = hard");
    } finally {
      await server.close();
    }
  });

  it("lists a parameter without a value, and a name given twice", () => {
    expect(describeUrl(new URL("https://bots.example/a/b?flag&x=1&x=2"))).toBe(
      "URL: https://bots.example/a/b?flag&x=1&x=2\nPath: /a/b\nQuery parameters (3):\n  flag = \n  x = 1\n  x = 2",
    );
  });
});
