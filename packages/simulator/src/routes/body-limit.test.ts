import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { limitBody } from "./body-limit.js";

function app(): { app: Hono; reached: string[] } {
  const reached: string[] = [];
  const app = new Hono();
  app.use("*", limitBody(10));
  app.post("/", async (c) => {
    reached.push(await c.req.text());
    return c.json({ ok: true });
  });
  return { app, reached };
}

/** A request whose body is a stream, so it carries no length. */
function streamed(text: string): RequestInit {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const char of text) controller.enqueue(new TextEncoder().encode(char));
      controller.close();
    },
  });
  return { method: "POST", body, duplex: "half" } as RequestInit;
}

describe("limitBody", () => {
  it("judges a body that declares its length by the header", async () => {
    const { app: limited, reached } = app();
    const over = await limited.request("/", {
      method: "POST",
      headers: { "content-length": "11" },
      body: "x".repeat(11),
    });
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ detail: "The request body is larger than 10 bytes." });
    const within = await limited.request("/", {
      method: "POST",
      headers: { "content-length": "10" },
      body: "y".repeat(10),
    });
    expect(within.status).toBe(200);
    expect(reached).toEqual(["y".repeat(10)]);
  });

  it("counts a body sent without a length as it is read", async () => {
    const { app: limited, reached } = app();
    const over = await limited.request("/", streamed("x".repeat(11)));
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ detail: "The request body is larger than 10 bytes." });
    const within = await limited.request("/", streamed("short"));
    expect(within.status).toBe(200);
    expect(reached).toEqual(["short"]);
  });
});
