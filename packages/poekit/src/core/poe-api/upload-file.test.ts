import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejectionOf } from "../../test-support/fake-fetch.js";
import { AttachmentUploadError, InvalidParameterError } from "../errors.js";
import { urlFileName } from "./file-input.js";
import type { FetchLike } from "./transport.js";
import { type UploadFileOptions, uploadFile } from "./upload-file.js";

const KEY = "secret-upload-key-0123456789";
const BASE = "http://files.test/poe_api/";
const ENDPOINT = `${BASE}file_upload_3RD_PARTY_POST`;

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  form: FormData;
}

type Answer = Response | Error;

function ok(
  body: unknown = { attachment_url: "https://pfst.cf2.poecdn.net/a.txt", mime_type: "text/plain" },
) {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
}

/** A fetch that records each request (multipart body parsed) and gives the next answer. */
function fakeFetch(...answers: Answer[]): FetchLike & { seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const entry = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      form: await request.formData(),
    };
    seen.push(entry);
    const answer = answers[Math.min(seen.length, answers.length) - 1] ?? ok();
    if (answer instanceof Error) throw answer;
    // A clone, so the last answer can be given again and again.
    return answer.clone();
  };
  return Object.assign(fetch, { seen });
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

const base = (fetch: FetchLike, extra: Partial<UploadFileOptions> = {}): UploadFileOptions => ({
  apiKey: KEY,
  baseUrl: BASE,
  fetch,
  ...extra,
});

async function fileOf(seen: Seen | undefined): Promise<File> {
  const file = seen?.form.get("file");
  if (!(file instanceof File)) throw new Error("no file field");
  return file;
}

describe("uploadFile: what it sends", () => {
  it("posts bytes as the multipart field `file` with the raw key and returns an Attachment", async () => {
    const fetch = fakeFetch(ok());
    const bytes = new TextEncoder().encode("hello bytes");
    const attachment = await uploadFile(base(fetch, { file: bytes, fileName: "a.txt" }));

    expect(attachment).toEqual({
      url: "https://pfst.cf2.poecdn.net/a.txt",
      content_type: "text/plain",
      name: "a.txt",
      inline_ref: null,
      parsed_content: null,
    });
    expect(fetch.seen).toHaveLength(1);
    const seen = fetch.seen[0];
    expect(seen?.url).toBe(ENDPOINT);
    expect(seen?.method).toBe("POST");
    expect(seen?.headers.get("authorization")).toBe(KEY);
    expect(seen?.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    const file = await fileOf(seen);
    expect(file.name).toBe("a.txt");
    expect(await file.text()).toBe("hello bytes");
    expect([...(seen?.form.keys() ?? [])]).toEqual(["file"]);
  });

  it("sends an ArrayBuffer, and contentType sets the part's type", async () => {
    const fetch = fakeFetch(ok());
    const buffer = new TextEncoder().encode("{}").buffer;
    await uploadFile(base(fetch, { file: buffer, fileName: "x.json", contentType: "application/json" }));
    const file = await fileOf(fetch.seen[0]);
    expect(file.type).toBe("application/json");
    expect(await file.text()).toBe("{}");
  });

  it("sends a Blob with its own type, and a File under its own name unless fileName is given", async () => {
    const fetch = fakeFetch(ok(), ok(), ok());
    await uploadFile(base(fetch, { file: new Blob(["<b/>"], { type: "image/svg+xml" }), fileName: "b.svg" }));
    const own = await uploadFile(base(fetch, { file: new File(["pdf"], "report.pdf") }));
    const renamed = await uploadFile(
      base(fetch, { file: new File(["pdf"], "report.pdf"), fileName: "r2.pdf" }),
    );

    const blob = await fileOf(fetch.seen[0]);
    expect([blob.name, blob.type, await blob.text()]).toEqual(["b.svg", "image/svg+xml", "<b/>"]);
    expect((await fileOf(fetch.seen[1])).name).toBe("report.pdf");
    expect(own.name).toBe("report.pdf");
    expect((await fileOf(fetch.seen[2])).name).toBe("r2.pdf");
    expect(renamed.name).toBe("r2.pdf");
  });

  it("reads a Node Readable (strings and buffers) to the end", async () => {
    const fetch = fakeFetch(ok());
    const stream = Readable.from([
      Buffer.from("chunk one, "),
      "chunk two, ",
      new TextEncoder().encode("three"),
    ]);
    await uploadFile(base(fetch, { file: stream, fileName: "s.txt" }));
    expect(await (await fileOf(fetch.seen[0])).text()).toBe("chunk one, chunk two, three");
  });

  it("reads a web ReadableStream to the end", async () => {
    const fetch = fakeFetch(ok());
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode("web "));
        controller.enqueue(encoder.encode("stream"));
        controller.close();
      },
    });
    await uploadFile(base(fetch, { file: stream, fileName: "w.txt", contentType: "text/plain" }));
    const file = await fileOf(fetch.seen[0]);
    expect([await file.text(), file.type]).toEqual(["web stream", "text/plain"]);
  });

  it("names a file stream after its path", async () => {
    const fetch = fakeFetch(ok());
    const stream = Object.assign(Readable.from(["x"]), { path: "/tmp/dir/notes.md" });
    const attachment = await uploadFile(base(fetch, { file: stream }));
    expect(attachment.name).toBe("notes.md");
    expect((await fileOf(fetch.seen[0])).name).toBe("notes.md");
  });

  it("sends a fileUrl as download_url, with download_filename only when fileName is given", async () => {
    const fetch = fakeFetch(ok(), ok(), ok());
    const derived = await uploadFile(
      base(fetch, { fileUrl: "https://example.com/files/my%20report.pdf?x=1" }),
    );
    const named = await uploadFile(
      base(fetch, { fileUrl: "https://example.com/files/r.pdf", fileName: "Q3.pdf" }),
    );
    const bare = await uploadFile(base(fetch, { fileUrl: new URL("https://example.com/") }));

    const [first, second, third] = fetch.seen;
    expect(first?.form.get("download_url")).toBe("https://example.com/files/my%20report.pdf?x=1");
    expect(first?.form.has("download_filename")).toBe(false);
    expect(first?.form.has("file")).toBe(false);
    expect(derived.name).toBe("my report.pdf");
    expect(second?.form.get("download_filename")).toBe("Q3.pdf");
    expect(named.name).toBe("Q3.pdf");
    expect(third?.form.get("download_url")).toBe("https://example.com/");
    expect(bare.name).toBe("file");
    expect(third?.headers.get("authorization")).toBe(KEY);
  });

  it("adds extra headers but keeps its own authorization and multipart content type", async () => {
    const fetch = fakeFetch(ok());
    await uploadFile(
      base(fetch, {
        file: new Uint8Array([1]),
        fileName: "b.bin",
        headers: { "x-trace": "t-1", "content-type": "text/plain", authorization: "other" },
      }),
    );
    const headers = fetch.seen[0]?.headers;
    expect(headers?.get("x-trace")).toBe("t-1");
    expect(headers?.get("authorization")).toBe(KEY);
    expect(headers?.get("content-type")).toMatch(/^multipart\/form-data/);
  });

  it("uses POE_API_BASE_URL when no baseUrl is given", async () => {
    const fetch = fakeFetch(ok());
    const before = process.env.POE_API_BASE_URL;
    process.env.POE_API_BASE_URL = "http://127.0.0.1:7777";
    try {
      await uploadFile({ apiKey: KEY, fetch, file: new Uint8Array([1]), fileName: "b.bin" });
    } finally {
      if (before === undefined) delete process.env.POE_API_BASE_URL;
      else process.env.POE_API_BASE_URL = before;
    }
    expect(fetch.seen[0]?.url).toBe("http://127.0.0.1:7777/poe_api/file_upload_3RD_PARTY_POST");
  });
});

describe("uploadFile: arguments it refuses before sending", () => {
  const fetch = fakeFetch();
  it.each([
    ["neither file nor fileUrl", {}, /needs a `file`.*or a `fileUrl`/],
    ["both file and fileUrl", { file: new Uint8Array([1]), fileUrl: "https://e.com/a" }, /either.*not both/],
    ["bytes without a name", { file: new Uint8Array([1]) }, /needs `fileName`/],
    ["a stream without a name", { file: Readable.from(["a"]) }, /needs `fileName`/],
    [
      "a string as file",
      { file: "text" as unknown as Uint8Array, fileName: "t.txt" },
      /is a string.*TextEncoder/,
    ],
    ["an object as file", { file: { a: 1 } as unknown as Uint8Array, fileName: "t" }, /must be a Uint8Array/],
    ["a relative fileUrl", { fileUrl: "/a.txt" }, /absolute URL/],
    ["a negative maxBytes", { file: new Uint8Array([1]), fileName: "t", maxBytes: -1 }, /maxBytes/],
  ])("%s", async (_, extra, message) => {
    const error = await rejectionOf(uploadFile(base(fetch, extra as Partial<UploadFileOptions>)));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toMatch(message);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
  ])("an apiKey %s, saying where keys come from", async (_, key) => {
    const options = { file: new Uint8Array([1]), fileName: "a", fetch, apiKey: key } as UploadFileOptions;
    const error = await rejectionOf(uploadFile(options));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toMatch(/apiKey.*poe\.com\/api_key.*access key/);
  });

  it("sent nothing for any of them", () => {
    expect(fetch.seen).toHaveLength(0);
  });
});

describe("uploadFile: maxBytes", () => {
  it("refuses known sizes before sending", async () => {
    const fetch = fakeFetch(ok());
    const error = await rejectionOf(
      uploadFile(base(fetch, { file: new Blob(["12345"]), fileName: "big.bin", maxBytes: 4 })),
    );
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toBe("big.bin is 5 bytes, more than the 4 bytes this upload accepts.");
    expect(fetch.seen).toHaveLength(0);
  });

  it("stops reading a stream as soon as it passes the bound, and closes it", async () => {
    const fetch = fakeFetch(ok());
    let pulled = 0;
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          pulled++;
          yield new Uint8Array(1024 * 1024);
        }
      } finally {
        closed = true;
      }
    }
    const error = await rejectionOf(
      uploadFile(base(fetch, { file: endless(), fileName: "big.bin", maxBytes: 3 * 1024 * 1024 })),
    );
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toBe("big.bin is more than the 3 MB (3145728 bytes) this upload accepts.");
    expect(pulled).toBe(4);
    expect(closed).toBe(true);
    expect(fetch.seen).toHaveLength(0);
  });

  it("cancels a web stream that passes the bound", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(10));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await rejectionOf(
      uploadFile(base(fakeFetch(ok()), { file: stream, fileName: "w.bin", maxBytes: 25 })),
    );
    expect(error.message).toMatch(/more than the 25 bytes/);
    expect(cancelled).toBe(true);
  });

  it("accepts a file of exactly maxBytes", async () => {
    const fetch = fakeFetch(ok());
    await uploadFile(base(fetch, { file: Readable.from([Buffer.alloc(4)]), fileName: "f", maxBytes: 4 }));
    expect((await fileOf(fetch.seen[0])).size).toBe(4);
  });
});

describe("uploadFile: failures and retries", () => {
  const bytes = () => ({ file: new TextEncoder().encode("data"), fileName: "d.txt" });

  it("turns a 400 into AttachmentUploadError with status and body, without retrying", async () => {
    const fetch = fakeFetch(
      new Response("file type not allowed", { status: 400, statusText: "Bad Request" }),
    );
    const { delays, sleep } = recordingSleep();
    const error = await rejectionOf(uploadFile(base(fetch, { ...bytes(), retries: { tries: 3, sleep } })));
    expect(error).toBeInstanceOf(AttachmentUploadError);
    expect(error.message).toBe("Uploading d.txt failed: 400 Bad Request: file type not allowed");
    expect((error as AttachmentUploadError).status).toBe(400);
    expect((error as AttachmentUploadError).body).toBe("file type not allowed");
    expect(fetch.seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("retries a 503 with backoff, sending the same content again, and then succeeds", async () => {
    const fetch = fakeFetch(new Response("busy", { status: 503 }), ok());
    const { delays, sleep } = recordingSleep();
    const stream = Readable.from(["streamed ", "once"]);
    const attachment = await uploadFile(
      base(fetch, { file: stream, fileName: "s.txt", retries: { sleep, random: () => 0.5 } }),
    );
    expect(attachment.url).toBe("https://pfst.cf2.poecdn.net/a.txt");
    expect(fetch.seen).toHaveLength(2);
    expect(delays).toEqual([375]);
    for (const seen of fetch.seen) expect(await (await fileOf(seen)).text()).toBe("streamed once");
  });

  it("honours retry-after", async () => {
    const fetch = fakeFetch(
      new Response("slow down", { status: 429, headers: { "retry-after": "3" } }),
      ok(),
    );
    const { delays, sleep } = recordingSleep();
    await uploadFile(base(fetch, { ...bytes(), retries: { sleep, random: () => 0.5 } }));
    expect(delays).toEqual([3000]);
    expect(fetch.seen).toHaveLength(2);
  });

  it("gives up at once when retry-after asks for longer than the policy waits", async () => {
    const fetch = fakeFetch(new Response("later", { status: 429, headers: { "retry-after": "3600" } }), ok());
    const { delays, sleep } = recordingSleep();
    const error = await rejectionOf(uploadFile(base(fetch, { ...bytes(), retries: { sleep } })));
    expect((error as AttachmentUploadError).status).toBe(429);
    expect(delays).toEqual([]);
  });

  it("reports the last failure when every try fails", async () => {
    const fetch = fakeFetch(new Response("down", { status: 502, statusText: "Bad Gateway" }));
    const { delays, sleep } = recordingSleep();
    const error = await rejectionOf(
      uploadFile(base(fetch, { ...bytes(), retries: { tries: 3, sleep, random: () => 0.5 } })),
    );
    expect(error.message).toBe("Uploading d.txt failed: 502 Bad Gateway: down");
    expect(fetch.seen).toHaveLength(3);
    expect(delays).toEqual([375, 750]);
  });

  it("retries a connection error, and reports it when it persists", async () => {
    const { sleep } = recordingSleep();
    const recovered = fakeFetch(new TypeError("fetch failed"), ok());
    await uploadFile(base(recovered, { ...bytes(), retries: { sleep } }));
    expect(recovered.seen).toHaveLength(2);

    const broken = fakeFetch(new TypeError("fetch failed"));
    const error = await rejectionOf(uploadFile(base(broken, { ...bytes(), retries: { sleep } })));
    expect(error).toBeInstanceOf(AttachmentUploadError);
    expect(error.message).toBe(`Uploading d.txt failed: could not reach ${ENDPOINT}: fetch failed.`);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(broken.seen).toHaveLength(2);
  });

  it("retries = 1 turns retries off", async () => {
    const fetch = fakeFetch(new Response("busy", { status: 503 }), ok());
    await expect(uploadFile(base(fetch, { ...bytes(), retries: 1 }))).rejects.toThrow(/503/);
    expect(fetch.seen).toHaveLength(1);
  });

  it("times out a try that gets no answer", async () => {
    const hanging: FetchLike = (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const { sleep } = recordingSleep();
    const error = await rejectionOf(
      uploadFile(base(hanging, { ...bytes(), timeoutMs: 20, retries: { sleep } })),
    );
    expect(error).toBeInstanceOf(AttachmentUploadError);
    expect(error.message).toBe("Uploading d.txt failed: no answer within 20 ms.");
  });

  it("refuses a time limit no timer can hold, rather than timing out at once", async () => {
    const fetch = fakeFetch(ok());
    await expect(uploadFile(base(fetch, { ...bytes(), timeoutMs: 3e9 }))).rejects.toThrow(
      InvalidParameterError,
    );
    expect(fetch.seen).toHaveLength(0);
    await expect(
      uploadFile(base(fetch, { ...bytes(), timeoutMs: Number.POSITIVE_INFINITY })),
    ).resolves.toBeDefined();
  });

  it("stops when the caller's signal aborts, with its reason, and does not retry", async () => {
    const controller = new AbortController();
    let calls = 0;
    const fetch: FetchLike = (_input, init) => {
      calls++;
      controller.abort(new Error("user cancelled"));
      return Promise.reject(init?.signal?.reason);
    };
    const error = await rejectionOf(uploadFile(base(fetch, { ...bytes(), signal: controller.signal })));
    expect(error.message).toBe("user cancelled");
    expect(calls).toBe(1);
  });

  it.each([
    ["not JSON", "<html>oops</html>", /answered 200 but not with JSON: <html>oops<\/html>/],
    ["no attachment_url", JSON.stringify({ mime_type: "text/plain" }), /has no string `attachment_url`/],
    ["no fields at all", JSON.stringify({}), /has no string `attachment_url` or `mime_type`/],
    [
      "a mime_type that is not a string",
      JSON.stringify({ attachment_url: "u", mime_type: 1 }),
      /`mime_type`/,
    ],
    ["a JSON array", "[]", /`attachment_url` or `mime_type`/],
  ])("refuses a 200 answer with %s", async (_, body, message) => {
    const fetch = fakeFetch(new Response(body, { status: 200 }));
    const error = await rejectionOf(uploadFile(base(fetch, bytes())));
    expect(error).toBeInstanceOf(AttachmentUploadError);
    expect(error.message).toMatch(message);
    expect((error as AttachmentUploadError).status).toBe(200);
    expect(fetch.seen).toHaveLength(1);
  });

  it("never puts the key in an error message or body, even when Poe echoes it", async () => {
    const { sleep } = recordingSleep();
    const answers: Answer[] = [
      new Response(`invalid key ${KEY}`, { status: 401, statusText: "Unauthorized" }),
      new Response(`{"error": "${KEY}"}`, { status: 200 }),
      new TypeError(`connect failed for ${KEY}`),
    ];
    for (const answer of answers) {
      const error = await rejectionOf(
        uploadFile(base(fakeFetch(answer), { ...bytes(), retries: { sleep } })),
      );
      expect(error).toBeInstanceOf(AttachmentUploadError);
      expect(error.message).not.toContain(KEY);
      expect(String((error as AttachmentUploadError).body ?? "")).not.toContain(KEY);
      expect(error.message).toContain("***");
    }
    const invalid = await rejectionOf(
      uploadFile({ apiKey: KEY, fetch: fakeFetch(), file: new Uint8Array([1]) }),
    );
    expect(invalid.message).not.toContain(KEY);
  });

  it("shortens a long error body in the message but keeps its start in `body`", async () => {
    const long = "x".repeat(2000);
    const error = (await rejectionOf(
      uploadFile(
        base(fakeFetch(new Response(long, { status: 413, statusText: "Payload Too Large" })), bytes()),
      ),
    )) as AttachmentUploadError;
    expect(error.message).toBe(`Uploading d.txt failed: 413 Payload Too Large: ${"x".repeat(500)}…`);
    expect(error.body).toBe(long);
  });
});

describe("urlFileName", () => {
  it.each([
    ["https://e.com/a/b/c%C3%A9.png", "cé.png"],
    ["https://e.com/a/b/", undefined],
    ["https://e.com", undefined],
    ["https://e.com/bad%zz.txt", "bad%zz.txt"],
    ["not a url", undefined],
  ])("%s → %s", (url, name) => {
    expect(urlFileName(url)).toBe(name);
  });
});

describe("uploadFile against a real socket", () => {
  let server: Server;
  let baseUrl: string;
  const received: Array<{ path: string; authorization: string | undefined; fields: Record<string, string> }> =
    [];

  async function collect(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const body = await collect(request);
      const form = await new Request("http://local/", {
        method: "POST",
        headers: { "content-type": request.headers["content-type"] ?? "" },
        body,
      }).formData();
      const fields: Record<string, string> = {};
      for (const [key, value] of form) fields[key] = typeof value === "string" ? value : await value.text();
      received.push({ path: request.url ?? "", authorization: request.headers.authorization, fields });
      const file = form.get("file");
      if (request.headers.authorization !== KEY) {
        response.writeHead(401, { "content-type": "text/plain" }).end("bad key");
        return;
      }
      const name = file instanceof File ? file.name : String(form.get("download_filename") ?? "download");
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ attachment_url: `${baseUrl}files/${name}`, mime_type: "text/plain" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("uploads a stream with the global fetch and reads the answer", async () => {
    const attachment = await uploadFile({
      file: Readable.from(["over ", "the ", "wire"]),
      fileName: "wire.txt",
      apiKey: KEY,
      baseUrl: `${baseUrl}poe_api`,
    });
    expect(attachment).toEqual({
      url: `${baseUrl}files/wire.txt`,
      content_type: "text/plain",
      name: "wire.txt",
      inline_ref: null,
      parsed_content: null,
    });
    expect(received.at(-1)).toEqual({
      path: "/poe_api/file_upload_3RD_PARTY_POST",
      authorization: KEY,
      fields: { file: "over the wire" },
    });
  });

  it("sends a download URL as form fields", async () => {
    await uploadFile({
      fileUrl: "https://e.com/x.txt",
      fileName: "y.txt",
      apiKey: KEY,
      baseUrl: `${baseUrl}poe_api/`,
    });
    expect(received.at(-1)?.fields).toEqual({
      download_url: "https://e.com/x.txt",
      download_filename: "y.txt",
    });
  });

  it("reports the server's refusal", async () => {
    const error = await rejectionOf(
      uploadFile({
        file: new Uint8Array([1]),
        fileName: "a",
        apiKey: "wrong-key-123",
        baseUrl: `${baseUrl}poe_api/`,
      }),
    );
    expect(error.message).toBe("Uploading a failed: 401 Unauthorized: bad key");
  });
});
