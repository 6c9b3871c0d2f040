import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { MAX_OUTPUT_FILE_BYTES, MAX_OUTPUT_FILES_PER_MESSAGE } from "../../protocol/limits.js";
import type { QueryRequest } from "../../protocol/query-request.js";
import { makeApp } from "../../server/make-app.js";
import { messageFilesOf } from "../../server/message-files.js";
import { PoeBot, type PoeBotOptions } from "../../server/poe-bot.js";
import { rejectionOf } from "../../test-support/fake-fetch.js";
import { post, queryBody, readEvents, TEST_KEY } from "../../test-support/requests.js";
import { AttachmentUploadError, InvalidParameterError } from "../errors.js";
import { silentLogger } from "../logger.js";
import type { BotResponseItem } from "../responses.js";
import type { PostMessageAttachmentOptions } from "./post-message-attachment.js";
import type { FetchLike } from "./transport.js";

const BASE = "http://files.test/poe_api/";

interface Upload {
  url: string;
  authorization: string | null;
  fields: Record<string, string>;
  fileName: string | undefined;
}

/** A file API stand-in: records each upload and answers with a URL named after the file. */
function fileApi(answer?: (upload: Upload, count: number) => Response | undefined) {
  const uploads: Upload[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const form = await request.formData();
    const fields: Record<string, string> = {};
    let fileName: string | undefined;
    for (const [key, value] of form) {
      if (typeof value === "string") fields[key] = value;
      else {
        fields[key] = await value.text();
        fileName = value.name;
      }
    }
    const upload = {
      url: request.url,
      authorization: request.headers.get("authorization"),
      fields,
      fileName,
    };
    uploads.push(upload);
    const name = fileName ?? fields.download_filename ?? "download";
    return (
      answer?.(upload, uploads.length) ??
      Response.json({ attachment_url: `https://cdn.test/${uploads.length}/${name}`, mime_type: "text/plain" })
    );
  };
  return { fetch, uploads };
}

type Script = (bot: ScriptBot, request: QueryRequest) => AsyncIterable<BotResponseItem>;

/** A bot (with an access key) whose answer is the script given to it. */
class ScriptBot extends PoeBot {
  script: Script;
  constructor(script: Script, options: PoeBotOptions = {}) {
    super({ accessKey: TEST_KEY, ...options });
    this.script = script;
  }
  override getResponse(request: QueryRequest): AsyncIterable<BotResponseItem> {
    return this.script(this, request);
  }
}

/** A bot as makeApp leaves it while responses to these messages are being written. */
function answeringBot(options: PoeBotOptions = { accessKey: TEST_KEY }, ids = ["m-1", "m-2"]): PoeBot {
  const bot = new PoeBot(options);
  for (const id of ids) messageFilesOf(bot).open(id);
  return bot;
}

function serve(bot: PoeBot) {
  const app = makeApp(bot, { allowWithoutKey: true, logger: silentLogger, env: {} });
  const headers: Record<string, string> = bot.accessKey ? { authorization: `Bearer ${bot.accessKey}` } : {};
  return async (overrides: Record<string, unknown> = {}) =>
    readEvents(await app.fetch(post(queryBody("hi", overrides), headers)));
}

const text = (value: string) => ({ event: "text", data: { text: value } });
const DONE = { event: "done", data: {} };
const bytes = (value: string) => new TextEncoder().encode(value);

describe("postMessageAttachment in a served bot", () => {
  it("uploads with the bot's key and writes the file event before the next text", async () => {
    const api = fileApi();
    const bot = new ScriptBot(async function* (self, request) {
      yield "before ";
      const result = await self.postMessageAttachment({
        messageId: request.message_id,
        fileData: bytes("file body"),
        filename: "a.txt",
        baseUrl: BASE,
        fetch: api.fetch,
      });
      yield `after ${result.attachment_url}`;
    });

    const events = await serve(bot)();
    expect(events).toEqual([
      text("before "),
      {
        event: "file",
        data: {
          url: "https://cdn.test/1/a.txt",
          content_type: "text/plain",
          name: "a.txt",
          inline_ref: null,
        },
      },
      text("after https://cdn.test/1/a.txt"),
      DONE,
    ]);
    expect(api.uploads).toEqual([
      {
        url: `${BASE}file_upload_3RD_PARTY_POST`,
        authorization: TEST_KEY,
        fields: { file: "file body" },
        fileName: "a.txt",
      },
    ]);
  });

  it("writes a file posted last at the end, before done, with an 8-character inline_ref", async () => {
    const api = fileApi();
    let returned: unknown;
    const bot = new ScriptBot(async function* (self, request) {
      yield "See ![chart][ref]";
      returned = await self.postMessageAttachment({
        messageId: request.message_id,
        fileData: new Blob(["<svg/>"], { type: "image/svg+xml" }),
        filename: "chart.svg",
        isInline: true,
        accessKey: "explicit-key-for-uploads",
        baseUrl: BASE,
        fetch: api.fetch,
      });
    });

    const events = await serve(bot)();
    expect(events.map((e) => e.event)).toEqual(["text", "file", "done"]);
    const file = events[1]?.data as { inline_ref: string; name: string };
    expect(file.inline_ref).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(file.name).toBe("chart.svg");
    expect(returned).toEqual({
      attachment_url: "https://cdn.test/1/chart.svg",
      mime_type: "text/plain",
      inline_ref: file.inline_ref,
      name: "chart.svg",
    });
    expect(api.uploads[0]?.authorization).toBe("explicit-key-for-uploads");
    expect(api.uploads[0]?.fields).not.toHaveProperty("inline_ref");
  });

  it("gives inline files different refs", async () => {
    const api = fileApi();
    const bot = answeringBot();
    const refs = new Set<string | null>();
    for (let i = 0; i < 10; i++) {
      const options = { messageId: "m-1", fileData: bytes("x"), filename: "x", isInline: true };
      refs.add((await bot.postMessageAttachment({ ...options, baseUrl: BASE, fetch: api.fetch })).inline_ref);
    }
    expect(refs.size).toBe(10);
  });

  it(`refuses file ${MAX_OUTPUT_FILES_PER_MESSAGE + 1} of a message before uploading it`, async () => {
    const api = fileApi();
    let refusal: Error | undefined;
    const bot = new ScriptBot(async function* (self, request) {
      const postOne = (i: number) =>
        self.postMessageAttachment({
          messageId: request.message_id,
          fileData: bytes(`file ${i}`),
          filename: `f${i}.txt`,
          baseUrl: BASE,
          fetch: api.fetch,
        });
      // Posted at the same time, so the limit must count uploads still in flight.
      const results = await Promise.allSettled(
        Array.from({ length: MAX_OUTPUT_FILES_PER_MESSAGE + 1 }, (_, i) => postOne(i)),
      );
      refusal = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []))[0];
      yield `${results.filter((r) => r.status === "fulfilled").length} attached`;
    });

    const events = await serve(bot)();
    expect(refusal).toBeInstanceOf(InvalidParameterError);
    expect(refusal?.message).toBe(
      "Cannot attach f20.txt: a message may have at most 20 files, and message m-1 already has 20.",
    );
    expect(api.uploads).toHaveLength(MAX_OUTPUT_FILES_PER_MESSAGE);
    expect(events.filter((e) => e.event === "file")).toHaveLength(MAX_OUTPUT_FILES_PER_MESSAGE);
    expect(events.at(-2)).toEqual(text("20 attached"));
    expect(events.at(-1)).toEqual(DONE);
  });

  it("forgets the count when the response ends, so the same message id may post again", async () => {
    const api = fileApi();
    const bot = new ScriptBot(async function* (self, request) {
      for (let i = 0; i < MAX_OUTPUT_FILES_PER_MESSAGE; i++) {
        await self.postMessageAttachment({
          messageId: request.message_id,
          fileData: bytes("x"),
          filename: `f${i}.txt`,
          baseUrl: BASE,
          fetch: api.fetch,
        });
      }
      yield "done";
    });
    const ask = serve(bot);
    for (let round = 0; round < 2; round++) {
      const events = await ask();
      expect(events.filter((e) => e.event === "file")).toHaveLength(MAX_OUTPUT_FILES_PER_MESSAGE);
      expect(events.at(-1)).toEqual(DONE);
    }
    expect(api.uploads).toHaveLength(2 * MAX_OUTPUT_FILES_PER_MESSAGE);
  });

  it("keeps the files of different messages apart", async () => {
    const api = fileApi();
    const bot = new ScriptBot(async function* (self, request) {
      await self.postMessageAttachment({
        messageId: request.message_id,
        fileData: bytes(request.message_id),
        filename: `${request.message_id}.txt`,
        baseUrl: BASE,
        fetch: api.fetch,
      });
      yield request.message_id;
    });
    const ask = serve(bot);
    const [first, second] = await Promise.all([ask({ message_id: "m-a" }), ask({ message_id: "m-b" })]);
    expect(first?.[0]?.data).toMatchObject({ name: "m-a.txt" });
    expect(second?.[0]?.data).toMatchObject({ name: "m-b.txt" });
  });

  it("does not attach a file whose upload ends after the response ended", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const api = fileApi();
    const slowFetch: FetchLike = async (input, init) => {
      await gate;
      return api.fetch(input, init);
    };
    let pending: Promise<unknown> | undefined;
    const bot = new ScriptBot(async function* (self, request) {
      pending = self.postMessageAttachment({
        messageId: request.message_id,
        fileData: bytes("late"),
        filename: "late.txt",
        baseUrl: BASE,
        fetch: slowFetch,
      });
      yield "not waiting";
    });

    const events = await serve(bot)();
    expect(events.map((e) => e.event)).toEqual(["text", "done"]);
    release();
    await pending;
    expect(messageFilesOf(bot).take("m-1")).toBe("");
  });
});

describe("postMessageAttachment: sizes", () => {
  it("refuses bytes over 50 MB before any upload, and the refused file takes no slot", async () => {
    const api = fileApi();
    const bot = answeringBot();
    const tooBig = new Uint8Array(MAX_OUTPUT_FILE_BYTES + 1);
    const error = await rejectionOf(
      bot.postMessageAttachment({
        messageId: "m-1",
        fileData: tooBig,
        filename: "big.bin",
        fetch: api.fetch,
      }),
    );
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toBe(
      "big.bin is 52428801 bytes; Poe accepts files of at most 50 MB (52428800 bytes).",
    );
    expect(api.uploads).toHaveLength(0);

    for (let i = 0; i < MAX_OUTPUT_FILES_PER_MESSAGE; i++) {
      await bot.postMessageAttachment({
        messageId: "m-1",
        fileData: bytes("x"),
        filename: "x",
        fetch: api.fetch,
      });
    }
    expect(api.uploads).toHaveLength(MAX_OUTPUT_FILES_PER_MESSAGE);
  });

  it("stops reading a stream once it passes 50 MB", async () => {
    const api = fileApi();
    const bot = answeringBot();
    const megabyte = Buffer.alloc(1024 * 1024);
    let read = 0;
    const stream = Readable.from(
      (function* () {
        for (;;) {
          read++;
          yield megabyte;
        }
      })(),
    );
    const error = await rejectionOf(
      bot.postMessageAttachment({ messageId: "m-1", fileData: stream, filename: "s.bin", fetch: api.fetch }),
    );
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toBe("s.bin is more than the 50 MB (52428800 bytes) this upload accepts.");
    expect(read).toBeLessThan(60);
    expect(stream.destroyed).toBe(true);
    expect(api.uploads).toHaveLength(0);
  });

  it("accepts a file of exactly 50 MB", async () => {
    let calls = 0;
    // Not parsed: reading 50 MB of multipart would only make the test slow.
    const fetch: FetchLike = async () => {
      calls++;
      return Response.json({
        attachment_url: "https://cdn.test/e.bin",
        mime_type: "application/octet-stream",
      });
    };
    const bot = answeringBot();
    const exact = new Blob([new Uint8Array(MAX_OUTPUT_FILE_BYTES)]);
    await bot.postMessageAttachment({ messageId: "m-1", fileData: exact, filename: "e.bin", fetch });
    expect(calls).toBe(1);
  });
});

describe("postMessageAttachment: names, URLs and errors", () => {
  const bot = () => answeringBot();
  const call = (target: PoeBot, options: Partial<PostMessageAttachmentOptions>, fetch?: FetchLike) =>
    target.postMessageAttachment({
      messageId: "m-1",
      baseUrl: BASE,
      fetch,
      ...options,
    } as PostMessageAttachmentOptions);

  it("sends a download URL and names the file after its path", async () => {
    const api = fileApi();
    const target = bot();
    const result = await call(target, { downloadUrl: "https://e.com/dir/my%20chart.png?v=2" }, api.fetch);
    expect(result.name).toBe("my chart.png");
    expect(api.uploads[0]?.fields).toEqual({ download_url: "https://e.com/dir/my%20chart.png?v=2" });
    expect(messageFilesOf(target).take("m-1")).toContain('"name":"my chart.png"');
  });

  it("sends downloadFilename as download_filename", async () => {
    const api = fileApi();
    const result = await call(
      bot(),
      { downloadUrl: new URL("https://e.com/x"), downloadFilename: "report.pdf" },
      api.fetch,
    );
    expect(result.name).toBe("report.pdf");
    expect(api.uploads[0]?.fields).toEqual({
      download_url: "https://e.com/x",
      download_filename: "report.pdf",
    });
  });

  it("uses a File's own name and sends contentType", async () => {
    const api = fileApi();
    const result = await call(
      bot(),
      { fileData: new File(["{}"], "data.json"), contentType: "application/json" },
      api.fetch,
    );
    expect(result.name).toBe("data.json");
    expect(api.uploads[0]?.fileName).toBe("data.json");
  });

  it.each([
    ["no messageId", { messageId: "", fileData: bytes("x"), filename: "x" }, /needs `messageId`/],
    ["both fileData and downloadUrl", { fileData: bytes("x"), downloadUrl: "https://e.com/a" }, /not both/],
    ["neither fileData nor downloadUrl", { filename: "x" }, /needs `fileData`.*or `downloadUrl`/],
    ["bytes without a filename", { fileData: bytes("x") }, /needs a `filename`/],
    ["a URL without a file name", { downloadUrl: "https://e.com/" }, /needs a `downloadFilename`/],
  ])("refuses %s before uploading", async (_, options, message) => {
    const api = fileApi();
    const error = await rejectionOf(call(bot(), options, api.fetch));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toMatch(message);
    expect(api.uploads).toHaveLength(0);
  });

  it("refuses without any key, saying where one comes from", async () => {
    const api = fileApi();
    const error = await rejectionOf(call(new PoeBot(), { fileData: bytes("x"), filename: "x" }, api.fetch));
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message).toMatch(/set the bot's accessKey or pass accessKey/);
    expect(api.uploads).toHaveLength(0);
  });

  it("passes a refusal on (without the key), frees its slot and queues nothing", async () => {
    const api = fileApi((upload, count) =>
      count === 1
        ? new Response(`bad key ${upload.authorization}`, { status: 403, statusText: "Forbidden" })
        : undefined,
    );
    const target = bot();
    const error = await rejectionOf(call(target, { fileData: bytes("x"), filename: "x.txt" }, api.fetch));
    expect(error).toBeInstanceOf(AttachmentUploadError);
    expect(error.message).toBe("Uploading x.txt failed: 403 Forbidden: bad key ***");
    expect(error.message).not.toContain(TEST_KEY);
    expect(messageFilesOf(target).take("m-1")).toBe("");

    for (let i = 0; i < MAX_OUTPUT_FILES_PER_MESSAGE; i++) {
      await call(target, { fileData: bytes("x"), filename: "x.txt" }, api.fetch);
    }
    expect(api.uploads).toHaveLength(MAX_OUTPUT_FILES_PER_MESSAGE + 1);
  });

  it("forget drops the count and the queued events of that message only", async () => {
    const api = fileApi();
    const target = bot();
    for (let i = 0; i < MAX_OUTPUT_FILES_PER_MESSAGE; i++) {
      await call(target, { fileData: bytes("x"), filename: "x" }, api.fetch);
    }
    await call(target, { messageId: "m-2", fileData: bytes("y"), filename: "y" }, api.fetch);
    messageFilesOf(target).forget("m-1");
    expect(messageFilesOf(target).take("m-1")).toBe("");
    await expect(call(target, { fileData: bytes("x"), filename: "late" }, api.fetch)).rejects.toThrow(
      "Cannot attach late: message m-1 is not being answered.",
    );
    messageFilesOf(target).open("m-1");
    await call(target, { fileData: bytes("x"), filename: "again" }, api.fetch);
    expect(messageFilesOf(target).take("m-1")).toContain('"name":"again"');
    expect(messageFilesOf(target).take("m-2")).toContain('"name":"y"');
  });
});
