import { describe, expect, it } from "vitest";
import type { ExchangeTarget, FetchLike } from "../query/target.js";
import { fetchBotSettings, MAX_SETTINGS_BYTES } from "./fetch-settings.js";

function target(fetch: FetchLike): ExchangeTarget {
  return { name: "Bot", url: "http://bot.test/", accessKey: "k".repeat(32), fetch };
}

describe("fetchBotSettings", () => {
  it("returns the settings a bot answers with", async () => {
    const result = await fetchBotSettings(
      target(async () => Response.json({ introduction_message: "Hi", response_version: 2 })),
    );
    expect(result).toEqual({ ok: true, settings: { introduction_message: "Hi", response_version: 2 } });
  });

  it("takes 501 as a bot without settings", async () => {
    const result = await fetchBotSettings(target(async () => new Response("nope", { status: 501 })));
    expect(result).toMatchObject({ ok: false, notImplemented: true });
  });

  it("stops reading an answer larger than the limit, whatever its Content-Length says", async () => {
    let sent = 0;
    let cancelled = false;
    const padding = new TextEncoder().encode(" ".repeat(64 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Valid JSON once it ends, far beyond the limit: only the size is wrong.
        if (sent > 3 * MAX_SETTINGS_BYTES) controller.close();
        else controller.enqueue(sent === 0 ? new TextEncoder().encode("{}") : padding);
        sent += padding.byteLength;
      },
      cancel() {
        cancelled = true;
      },
    });
    const result = await fetchBotSettings(
      target(async () => new Response(endless, { headers: { "content-type": "application/json" } })),
    );
    expect(result.ok ? "read whole" : result.error).toMatch(/^The settings answer is larger than 1 MB\./);
    expect(cancelled).toBe(true);
    expect(sent).toBeLessThan(2 * MAX_SETTINGS_BYTES);
  });

  it("describes a bot that cannot be reached", async () => {
    const result = await fetchBotSettings(
      target(async () => {
        throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      error: "Could not reach http://bot.test/: fetch failed: ECONNREFUSED",
    });
  });
});
