import { describe, expect, it } from "vitest";
import { sendReport } from "./send-report.js";
import type { ExchangeTarget } from "./target.js";

/** A bot whose fetch never answers and ignores its signal, as an in-process bot's hook may. */
const stuck: ExchangeTarget = {
  name: "Stuck",
  url: "http://stuck.test/",
  accessKey: "k".repeat(32),
  fetch: () => new Promise(() => {}),
};

describe("sendReport", () => {
  it("answers with the bot's status and does not read the body", async () => {
    let cancelled = false;
    const body = new ReadableStream({
      cancel() {
        cancelled = true;
      },
    });
    const target = { ...stuck, fetch: async () => new Response(body, { status: 202 }) };
    expect(await sendReport(target, {}, { timeoutMs: 1_000 })).toEqual({ status: 202 });
    expect(cancelled).toBe(true);
  });

  it("gives up after the timeout, even on a fetch that ignores its signal", async () => {
    expect(await sendReport(stuck, {}, { timeoutMs: 50 })).toEqual({ failure: "no answer within 0.05 s" });
  });

  it("gives up at once when its signal aborts", async () => {
    const controller = new AbortController();
    const sent = sendReport(stuck, {}, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    expect(await sent).toEqual({ failure: "cancelled" });
  });

  it("describes a request that failed", async () => {
    const target = {
      ...stuck,
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      },
    };
    expect(await sendReport(target, {}, { timeoutMs: 1_000 })).toEqual({
      failure: "fetch failed: ECONNREFUSED",
    });
  });
});
