import { Hono } from "hono";
import { AttachmentUploadError, uploadFile } from "poekit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createTestContext,
  listen,
  mountRoutes,
  type TestContext,
  type TestServer,
} from "../test-support/test-context.js";
import { fileUploadRoutes } from "./file-upload.js";
import { fileRoutes } from "./files.js";

const KEY = "u".repeat(32);
const PDF = new TextEncoder().encode("%PDF-1.4 not really a pdf");

describe("POST /poe_api/file_upload_3RD_PARTY_POST", () => {
  let context: TestContext;
  let server: TestServer;
  let origin = "";

  beforeEach(async () => {
    context = createTestContext();
    // Stands in for the web sites a bot hands to download_url.
    const web = new Hono()
      .get("/web/report.pdf", (c) => c.body(PDF, 200, { "content-type": "application/pdf" }))
      .get("/web/notes v2.md", (c) => c.body("# Notes", 200, { "content-type": "application/octet-stream" }))
      .get("/web/missing", (c) => c.text("gone", 404))
      .get("/web/stalls", () => new Promise<Response>(() => {}))
      .get("/web/huge.bin", (c) => {
        // Chunked, without a Content-Length: only counting the bytes can stop it.
        let sent = 0;
        const megabyte = new Uint8Array(1024 * 1024);
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ > 50) controller.close();
            else controller.enqueue(megabyte);
          },
        });
        return c.body(body, 200, { "content-type": "application/octet-stream" });
      });
    server = await listen(context, mountRoutes(context, [fileUploadRoutes, fileRoutes, () => web]));
    origin = server.origin;
    context.store.bots.upsert({ name: "Uploader", kind: "url", url: `${origin}/unused`, accessKey: KEY });
  });

  afterEach(async () => {
    await server.close();
    await context.close();
  });

  const baseUrl = () => `${origin}/poe_api/`;

  it("stores uploaded bytes and answers a file URL that serves them", async () => {
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const attachment = await uploadFile({
      file: bytes,
      fileName: "chart.png",
      apiKey: KEY,
      baseUrl: baseUrl(),
    });
    expect(attachment).toMatchObject({ content_type: "image/png", name: "chart.png" });
    expect(attachment.url.startsWith(`${origin}/files/`)).toBe(true);
    const served = await fetch(attachment.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });

  it("takes the content type the part declares, and Bearer keys too", async () => {
    const file = new Blob(["a,b\n1,2\n"], { type: "text/csv" });
    const attachment = await uploadFile({
      file,
      fileName: "data",
      apiKey: `Bearer ${KEY}`,
      baseUrl: baseUrl(),
    });
    expect(attachment.content_type).toBe("text/csv");
  });

  it("downloads a download_url itself, named after the URL or download_filename", async () => {
    const fromUrl = await uploadFile({
      fileUrl: `${origin}/web/report.pdf`,
      apiKey: KEY,
      baseUrl: baseUrl(),
    });
    expect(fromUrl.content_type).toBe("application/pdf");
    const served = await fetch(fromUrl.url);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PDF);
    expect(served.headers.get("content-disposition")).toBe("inline; filename*=UTF-8''report.pdf");

    // An unhelpful declared type gives way to the extension of the decoded URL name.
    const markdown = await uploadFile({
      fileUrl: `${origin}/web/notes%20v2.md`,
      apiKey: KEY,
      baseUrl: baseUrl(),
    });
    expect(markdown.content_type).toBe("text/markdown");
    expect((await fetch(markdown.url)).headers.get("content-disposition")).toBe(
      "inline; filename*=UTF-8''notes%20v2.md",
    );

    const named = await uploadFile({
      fileUrl: `${origin}/web/report.pdf`,
      fileName: "renamed.pdf",
      apiKey: KEY,
      baseUrl: baseUrl(),
    });
    expect(named.url).toContain("/renamed.pdf?");
  });

  it("answers 400 saying why when the download fails or the URL is not http(s)", async () => {
    const missing = uploadFile({
      fileUrl: `${origin}/web/missing`,
      apiKey: KEY,
      baseUrl: baseUrl(),
      retries: 1,
    });
    await expect(missing).rejects.toThrow(AttachmentUploadError);
    await expect(missing).rejects.toMatchObject({ status: 400 });
    await expect(missing).rejects.toThrow(/Downloading .*\/web\/missing failed: it answered HTTP 404/);

    const ftp = uploadFile({
      fileUrl: "ftp://example.com/a.txt",
      apiKey: KEY,
      baseUrl: baseUrl(),
      retries: 1,
    });
    await expect(ftp).rejects.toThrow(/download_url must be an http:\/\/ or https:\/\/ URL/);

    const huge = uploadFile({
      fileUrl: `${origin}/web/huge.bin`,
      apiKey: KEY,
      baseUrl: baseUrl(),
      retries: 1,
    });
    await expect(huge).rejects.toThrow(/huge\.bin failed: the file is larger than 50 MB/);

    const unreachable = uploadFile({
      fileUrl: "http://127.0.0.1:1/a.txt",
      apiKey: KEY,
      baseUrl: baseUrl(),
      retries: 1,
    });
    await expect(unreachable).rejects.toMatchObject({ status: 400 });
    await expect(unreachable).rejects.toThrow(
      /Downloading http:\/\/127\.0\.0\.1:1\/a\.txt failed: fetch failed/,
    );
  });

  it("stops a download when the simulator closes", async () => {
    const stalled = uploadFile({
      fileUrl: `${origin}/web/stalls`,
      apiKey: KEY,
      baseUrl: baseUrl(),
      retries: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = context.tasks.close();
    await expect(stalled).rejects.toThrow(/stalls failed: The simulator is shutting down/);
    await closing;
  });

  it("refuses a key that is no registered bot's with 401", async () => {
    for (const apiKey of ["x".repeat(32), `Bearer ${"x".repeat(32)}`]) {
      const upload = uploadFile({ file: new Uint8Array([1]), fileName: "a.bin", apiKey, baseUrl: baseUrl() });
      await expect(upload).rejects.toMatchObject({ status: 401 });
    }
    const anonymous = await fetch(`${baseUrl()}file_upload_3RD_PARTY_POST`, {
      method: "POST",
      body: new FormData(),
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ detail: expect.stringContaining("--bot NAME=URL#KEY") });
  });

  it("answers 4xx JSON for forms without a file, with both, or not forms at all", async () => {
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl()}file_upload_3RD_PARTY_POST`, {
        method: "POST",
        headers: { authorization: KEY, ...headers },
        body,
      });
    const both = new FormData();
    both.append("file", new Blob(["x"]), "a.txt");
    both.append("download_url", `${origin}/web/report.pdf`);
    const textField = new FormData();
    textField.append("file", "just text");
    const cases: Array<[Response, number]> = [
      [await post(new FormData()), 400],
      [await post(both), 400],
      [await post(textField), 400],
      [await post(new URLSearchParams({ download_url: "not a url" })), 400],
      [await post("{}", { "content-type": "application/json" }), 415],
      [await post("--x\r\nbroken", { "content-type": "multipart/form-data; boundary=x" }), 400],
    ];
    for (const [response, status] of cases) {
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ detail: expect.any(String) });
    }
  });
});
