import { afterEach, describe, expect, it } from "vitest";
import { createTestContext, mountRoutes, type TestContext } from "../test-support/test-context.js";
import { apiEventRoutes, MAX_QUEUED_BYTES } from "./api-events.js";

let context: TestContext;
afterEach(async () => {
  await context?.close();
});

/** Everything the stream still delivers, or "open" when it has not ended within `ms`. */
async function drain(body: ReadableStream<Uint8Array>, ms: number): Promise<number | "open"> {
  const reader = body.getReader();
  let bytes = 0;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const next = await Promise.race([
      reader.read(),
      new Promise<"open">((resolve) => setTimeout(() => resolve("open"), deadline - Date.now())),
    ]);
    if (next === "open") break;
    if (next.done) return bytes;
    bytes += next.value.byteLength;
  }
  await reader.cancel();
  return "open";
}

describe("GET /api/events", () => {
  it("streams each update as an event named after its type", async () => {
    context = createTestContext();
    const response = await mountRoutes(context, [apiEventRoutes]).request("/");
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    context.bus.publish({ type: "balance", balance: 42 });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("event: balance")) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    expect(text).toContain('"balance":42');
    await reader.cancel();
    expect(context.bus.size).toBe(1);
  });

  it("closes the stream of a page that stopped reading once a bounded amount is queued", async () => {
    context = createTestContext();
    const response = await mountRoutes(context, [apiEventRoutes]).request("/");
    // Few events, each large: bounding by the number of events would hold them all.
    const big = "x".repeat(1024 * 1024);
    for (let i = 0; i < MAX_QUEUED_BYTES / big.length + 2; i++) {
      context.bus.publish({ type: "conversation-deleted", conversationId: big });
    }
    const delivered = await drain(response.body as ReadableStream<Uint8Array>, 1_000);
    expect(delivered).not.toBe("open");
    expect(delivered).toBeLessThan(MAX_QUEUED_BYTES + 2 * big.length);
    // Only the test context's own recorder is left listening.
    expect(context.bus.size).toBe(1);
  });
});
