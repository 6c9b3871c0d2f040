import type { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, mountRoutes, type TestContext } from "../test-support/test-context.js";
import { fileRoutes } from "./files.js";

describe("GET /files/:id/:name", () => {
  let context: TestContext;
  let app: Hono;
  let now = Date.UTC(2026, 0, 1);

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    context = createTestContext({ fileTtlSeconds: 600, now: () => now });
    app = mountRoutes(context, [fileRoutes]);
  });

  afterEach(async () => {
    await context.close();
  });

  function store(name: string, contentType: string, text = "content") {
    const file = context.store.files.put({ name, contentType, data: new TextEncoder().encode(text) });
    return context.fileUrls.pathFor(file);
  }

  it("serves the bytes with their type, shown inline for images, PDF and text", async () => {
    const response = await app.request(store("résumé (final).txt", "text/plain", "héllo"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("héllo");
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": "inline; filename*=UTF-8''r%C3%A9sum%C3%A9%20%28final%29.txt",
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=60",
    });
    expect(response.headers.get("content-security-policy")).toBeNull();

    for (const type of ["image/png", "application/pdf"]) {
      const shown = await app.request(store("f", type));
      expect(shown.headers.get("content-type")).toBe(type);
      expect(shown.headers.get("content-disposition")).toMatch(/^inline;/);
    }
  });

  it("offers other types as downloads", async () => {
    const response = await app.request(store("archive.zip", "application/zip"));
    expect(response.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''archive.zip");
  });

  it("sandboxes HTML and SVG so that they cannot run script on the simulator's origin", async () => {
    for (const type of ["text/html", "image/svg+xml"]) {
      const response = await app.request(store("page", type, "<script>alert(1)</script>"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-security-policy")).toBe("sandbox");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("serves scripts and styles as plain text, so that no page can run or apply them from here", async () => {
    for (const type of [
      "text/javascript",
      "application/javascript",
      "application/x-ecmascript",
      "text/css",
    ]) {
      const response = await app.request(store("f", type, "alert(1)"));
      expect(response.status).toBe(200);
      expect([type, response.headers.get("content-type")]).toEqual([type, "text/plain; charset=utf-8"]);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("answers 410 once the URL expired", async () => {
    const path = store("a.txt", "text/plain");
    now += 599_000;
    expect((await app.request(path)).status).toBe(200);
    now += 2_000;
    const expired = await app.request(path);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toEqual({
      detail: "This file URL expired (file URLs work for 600 seconds, --file-ttl).",
    });
  });

  it("answers 403 for a URL whose signature or expiry was changed or left out", async () => {
    const path = store("a.txt", "text/plain");
    const url = new URL(path, "http://x");
    const tampered = [
      path.replace(/signature=([0-9a-f])/, (_, c: string) => `signature=${c === "0" ? "1" : "0"}`),
      path.replace(/expires=(\d+)/, (_, e: string) => `expires=${Number(e) + 3600}`),
      url.pathname,
      `${url.pathname}?expires=${url.searchParams.get("expires")}`,
      `${url.pathname}?expires=soon&signature=${url.searchParams.get("signature")}`,
      // A valid signature belongs to one file only.
      path.replace(/\/files\/[0-9a-f]+\//, `/files/${"0".repeat(32)}/`),
    ];
    for (const changed of tampered) {
      const response = await app.request(changed);
      expect(response.status, changed).toBe(403);
      expect(await response.json()).toEqual({ detail: expect.stringContaining("not valid") });
    }
  });

  it("answers 404 for a file that is no longer stored", async () => {
    const path = context.fileUrls.pathFor({ id: "f".repeat(32), name: "gone.txt" });
    const response = await app.request(path);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: expect.any(String) });
  });
});
