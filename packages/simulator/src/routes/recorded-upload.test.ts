// The multipart upload fastapi_poe sends to Poe's file endpoint, replayed byte for byte against the
// simulator's stand-in for it: the bare key as Authorization (no "Bearer"), httpx's boundary and part
// headers, a PNG's first bytes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRecordedHttp } from "../../../poekit/src/test-support/recorded-http.js";
import {
  createTestContext,
  listen,
  mountRoutes,
  type TestContext,
  type TestServer,
} from "../test-support/test-context.js";
import { fileUploadRoutes } from "./file-upload.js";
import { fileRoutes } from "./files.js";

describe("fastapi_poe's recorded upload (client-request-upload.http)", () => {
  let context: TestContext;
  let server: TestServer;
  const recorded = readRecordedHttp("client-request-upload.http");
  const key = recorded.headers.get("authorization") as string;

  beforeEach(async () => {
    context = createTestContext();
    server = await listen(context, mountRoutes(context, [fileUploadRoutes, fileRoutes]));
    context.store.bots.upsert({ name: "PyBot", kind: "url", url: `${server.origin}/unused`, accessKey: key });
  });

  afterEach(async () => {
    await server.close();
    await context.close();
  });

  it("is stored, and its URL serves the same bytes with the part's name and type", async () => {
    expect(key).toMatch(/^\w{32}$/);
    const [method = "", target = ""] = recorded.startLine.split(" ");
    const response = await fetch(`${server.origin}${target}`, {
      method,
      headers: {
        authorization: key,
        "content-type": recorded.headers.get("content-type") as string,
      },
      body: recorded.body,
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const answer = (await response.json()) as { attachment_url: string; mime_type: string };
    expect(answer.mime_type).toBe("image/png");
    const served = await fetch(answer.attachment_url);
    expect(served.status).toBe(200);
    const bytes = new Uint8Array(await served.arrayBuffer());
    const text = new TextDecoder("latin1").decode(recorded.body);
    const part = text.slice(text.indexOf("\r\n\r\n") + 4, text.lastIndexOf("\r\n--"));
    expect(new TextDecoder("latin1").decode(bytes)).toBe(part);
    expect(answer.attachment_url).toContain("swatch.png");
  });
});
