import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { PoeBot, type QueryRequest } from "poekit";
import { MAX_JSON_DEPTH } from "poekit/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { nestedJsonText } from "../../poekit/src/test-support/fuzz-inputs.js";
import { rawExchange } from "../../poekit/src/test-support/raw-socket.js";
import { builtinInProcessBots } from "./bots/in-process-bots.js";
import type { ConversationRecord, MessageRecord, UploadedFile } from "./model.js";
import { type RunningSimulator, type StartSimulatorOptions, startSimulator } from "./start.js";
import { serveBot } from "./test-support/test-context.js";

const KEY = `${"s".repeat(16)}0123456789abcdef`;
const SECRET = "the secret beside the page directory";
const utf8 = new TextEncoder();

class OkBot extends PoeBot {
  override async *getResponse(_request: QueryRequest) {
    yield "ok";
  }
}

let root: string;
let pageDir: string;
let bot: { url: string; close(): Promise<void> };
const running: RunningSimulator[] = [];

async function start(options: Partial<StartSimulatorOptions> = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({
    port: 0,
    db: ":memory:",
    pageDir,
    inProcessBots: builtinInProcessBots(),
    bots: [{ name: "Guarded", url: bot.url, accessKey: KEY }],
    ...options,
  });
  running.push(sim);
  return sim;
}

beforeAll(async () => {
  // A file beside the page directory that no URL may reach.
  root = mkdtempSync(path.join(tmpdir(), "poekit-security-"));
  pageDir = path.join(root, "page");
  mkdirSync(path.join(pageDir, "assets"), { recursive: true });
  writeFileSync(path.join(root, "secret.txt"), SECRET);
  writeFileSync(path.join(pageDir, "index.html"), "<!doctype html><title>page</title>");
  writeFileSync(path.join(pageDir, "assets", "app.js"), "console.log('app')");
  bot = await serveBot(new OkBot({ accessKey: KEY }));
});

afterAll(async () => {
  for (const sim of running.splice(0)) await sim.close();
  await bot?.close();
  rmSync(root, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A request to the simulator, in-process, from the given origin (undefined: a tool, not a browser). */
function call(
  sim: RunningSimulator,
  method: string,
  url: string,
  body?: BodyInit,
  headers: Record<string, string> = {},
) {
  return sim.simulator.fetch(new Request(`${sim.url}${url}`, { method, body, headers }));
}

describe("the simulator's network exposure", () => {
  it("listens on 127.0.0.1 only unless told otherwise", async () => {
    const sim = await start();
    const port = Number(new URL(sim.url).port);
    expect(new URL(sim.url).hostname).toBe("127.0.0.1");
    // 127.0.0.2 is this machine too: a server on all interfaces would answer there.
    const reach = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, host);
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
    expect(await reach("127.0.0.1")).toBe(true);
    expect(await reach("127.0.0.2")).toBe(false);
  });
});

describe("state-changing calls from another site", () => {
  it("are refused on every state-changing route, while the same calls from the page succeed", async () => {
    const sim = await start();
    const json = { "content-type": "application/json" };
    const conversation = (await (
      await call(sim, "POST", "/api/conversations", JSON.stringify({ botName: "Guarded" }), json)
    ).json()) as ConversationRecord;
    const sent = (await (
      await call(
        sim,
        "POST",
        `/api/conversations/${conversation.id}/messages`,
        JSON.stringify({ text: "hi" }),
        json,
      )
    ).json()) as { botMessages: MessageRecord[] };
    await sim.simulator.context.tasks.idle();
    const messageId = sent.botMessages[0]?.id ?? "";
    const exchange = sim.simulator.context.store.exchanges.listForMessage(messageId)[0];
    const botQueryId = (exchange?.request as { bot_query_id?: string } | undefined)?.bot_query_id;
    const upload = () => {
      const form = new FormData();
      form.append("file", new File(["x"], "x.txt", { type: "text/plain" }));
      return form;
    };
    const query = JSON.stringify({
      version: "1.2",
      type: "query",
      query: [{ role: "user", content: "hi" }],
      user_id: "u",
      conversation_id: "c",
      message_id: "",
    });
    const cost = JSON.stringify({ amounts: { amount_usd_milli_cents: 1 }, access_key: KEY });
    // Every route that changes something, with a body that would succeed.
    const routes: Array<[string, string, () => BodyInit | undefined, Record<string, string>]> = [
      ["PUT", "/api/balance", () => JSON.stringify({ balance: 5 }), json],
      ["POST", "/api/bots", () => JSON.stringify({ name: "Other", url: bot.url, accessKey: KEY }), json],
      ["POST", "/api/bots/Other/settings", () => undefined, {}],
      ["DELETE", "/api/bots/Other", () => undefined, {}],
      ["POST", "/api/conversations", () => JSON.stringify({ botName: "Echo" }), json],
      [
        "POST",
        `/api/conversations/${conversation.id}/messages`,
        () => JSON.stringify({ text: "more" }),
        json,
      ],
      ["POST", `/api/messages/${messageId}/feedback`, () => JSON.stringify({ type: "like" }), json],
      ["POST", `/api/messages/${messageId}/reactions`, () => JSON.stringify({ reaction: "👍" }), json],
      ["POST", `/api/messages/${messageId}/retry`, () => undefined, {}],
      ["POST", `/api/conversations/${conversation.id}/clear`, () => undefined, {}],
      ["POST", "/api/uploads", upload, {}],
      ["POST", "/bot/Echo", () => query, json],
      ["POST", `/bot/fetch_settings/Guarded/${KEY}/1.2`, () => undefined, {}],
      [
        "POST",
        `/bot/update_settings/Guarded/${KEY}/1.2`,
        () => JSON.stringify({ introduction_message: "x" }),
        json,
      ],
      ["POST", `/bot/cost/${botQueryId}/capture`, () => cost, json],
      ["POST", "/poe_api/file_upload_3RD_PARTY_POST", upload, { authorization: KEY }],
      ["DELETE", `/api/conversations/${conversation.id}`, () => undefined, {}],
    ];
    const foreign: Array<Record<string, string>> = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    ];
    for (const [method, url, body, headers] of routes) {
      for (const from of foreign) {
        const refused = await call(sim, method, url, body(), { ...headers, ...from });
        expect([method, url, from, refused.status]).toEqual([method, url, from, 403]);
        expect(await refused.json()).toEqual({ detail: expect.any(String) });
      }
      await sim.simulator.context.tasks.idle();
      const allowed = await call(sim, method, url, body(), {
        ...headers,
        origin: sim.url,
        "sec-fetch-site": "same-origin",
      });
      expect([method, url, allowed.status < 300]).toEqual([method, url, true]);
      await allowed.arrayBuffer();
      await sim.simulator.context.tasks.idle();
    }
  });
});

describe("access keys", () => {
  it("never reach the page's API, the inspector or the console, whatever is sent with them", async () => {
    const logged = [vi.spyOn(console, "error"), vi.spyOn(console, "warn"), vi.spyOn(console, "log")];
    const sim = await start();
    const json = { "content-type": "application/json" };
    const wrong = `${"w".repeat(16)}0123456789abcdef`;
    const conversation = (await (
      await call(sim, "POST", "/api/conversations", JSON.stringify({ botName: "Guarded" }), json)
    ).json()) as ConversationRecord;
    await call(
      sim,
      "POST",
      `/api/conversations/${conversation.id}/messages`,
      JSON.stringify({ text: "hi" }),
      json,
    );
    await sim.simulator.context.tasks.idle();
    const answers: string[] = [];
    const read = async (response: Response) =>
      answers.push(`${JSON.stringify([...response.headers])} ${await response.text()}`);
    // Refused calls that carry a key: wrong keys in paths, headers and bodies.
    await read(await call(sim, "POST", `/bot/fetch_settings/Guarded/${wrong}/1.2`));
    await read(await call(sim, "POST", `/bot/update_settings/Guarded/${wrong}/1.2`, "{}", json));
    await read(
      await call(sim, "POST", "/poe_api/file_upload_3RD_PARTY_POST", new FormData(), {
        authorization: wrong,
      }),
    );
    await read(
      await call(
        sim,
        "POST",
        "/bot/cost/bq-x/capture",
        JSON.stringify({ amounts: [], access_key: wrong }),
        json,
      ),
    );
    await read(
      await call(
        sim,
        "POST",
        "/api/bots",
        JSON.stringify({ name: "Bad", url: "ftp://x", accessKey: wrong }),
        json,
      ),
    );
    // What the page reads: state, bots, the conversation, the inspector's record.
    const [message] = sim.simulator.context.store.messages
      .listByConversation(conversation.id)
      .filter((m) => m.role === "bot");
    for (const url of [
      "/api/state",
      "/api/bots",
      `/api/conversations/${conversation.id}`,
      `/api/messages/${message?.id}/exchanges`,
    ]) {
      const response = await call(sim, "GET", url);
      expect(response.status).toBe(200);
      await read(response);
    }
    const printed = logged.flatMap((spy) => spy.mock.calls.map((args) => inspect(args, { depth: 8 })));
    for (const text of [...answers, ...printed]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(wrong);
    }
    expect(answers.join("\n")).toContain('"hasAccessKey":true');
  });
});

describe("uploaded files", () => {
  it("are stored under generated names and served as downloads or sandboxed, never sniffed", async () => {
    const sim = await start();
    const form = new FormData();
    form.append(
      "file",
      new File(["<script>alert(1)</script>"], "../../..\\evil\u0000.html", { type: "text/html" }),
    );
    const uploaded = (await (await call(sim, "POST", "/api/uploads", form)).json()) as UploadedFile;
    expect(uploaded.id).toMatch(/^[0-9a-f]{32}$/);
    expect(uploaded.name).toBe("evil.html");
    const served = await fetch(uploaded.url);
    expect(served.status).toBe(200);
    expect(Object.fromEntries(served.headers)).toMatchObject({
      "content-disposition": expect.stringMatching(/^(inline|attachment); filename\*=UTF-8''evil\.html$/),
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox",
    });
  });

  it("cannot be used to reach other files: dot segments, encodings, backslashes, absolute paths, NUL", async () => {
    const sim = await start();
    const stored = sim.simulator.context.store.files.put({
      name: "a.txt",
      contentType: "text/plain",
      data: utf8.encode("stored"),
    });
    const signed = sim.simulator.context.fileUrls.pathFor(stored);
    const query = signed.slice(signed.indexOf("?"));
    const attempts = [
      "/assets/../secret.txt",
      "/assets/..%2fsecret.txt",
      "/assets/%2e%2e%2f..%2fsecret.txt",
      "/assets/%2E%2E/secret.txt",
      "/assets/..%5csecret.txt",
      "/assets/..\\..\\secret.txt",
      `/assets/${encodeURIComponent(path.join(root, "secret.txt"))}`,
      `/assets/${path.join(root, "secret.txt")}`,
      "/assets/app.js%00.png",
      "/assets/.%2e/.%2e/secret.txt",
      "/assets/%252e%252e%252fsecret.txt",
      "/files/..%2f..%2fsecret.txt/a.txt",
      `/files/${stored.id}/..%2f..%2fsecret.txt${query}`,
      `/files/${stored.id}%00/a.txt${query}`,
      `/files/..%5c${stored.id}/a.txt${query}`,
      `/files/${encodeURIComponent(path.join(root, "secret.txt"))}/a${query}`,
      "/../secret.txt",
      "/%2e%2e/secret.txt",
    ];
    const port = Number(new URL(sim.url).port);
    for (const attempt of attempts) {
      // Raw, so the path reaches the server exactly as written (fetch would resolve dot segments).
      const reply = await rawExchange(
        port,
        utf8.encode(`GET ${attempt} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`),
        { halfClose: true },
      );
      expect(reply.text, attempt).not.toContain(SECRET);
      const status = reply.statuses[0] ?? 0;
      // The stored file itself may be served under its own id (the name segment is only a label).
      if (status === 200)
        expect([attempt, reply.text]).toEqual([attempt, expect.stringContaining("\r\n\r\nstored")]);
      else expect([attempt, status >= 400 && status < 500]).toEqual([attempt, true]);
    }
  });
});

describe("the chat page", () => {
  it("is served with a Content-Security-Policy that allows no inline or foreign script, and nosniff", async () => {
    const sim = await start();
    for (const url of ["/", "/assets/app.js"]) {
      const response = await call(sim, "GET", url);
      expect(response.status).toBe(200);
      const policy = response.headers.get("content-security-policy") ?? "";
      const directives = new Map(
        policy.split(";").map((directive) => {
          const [name = "", ...values] = directive.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      expect(directives.get("script-src")).toEqual(["'self'"]);
      expect(directives.get("default-src")).toEqual(["'self'"]);
      expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
      expect(directives.get("base-uri")).toEqual(["'none'"]);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("limits on what the simulator reads", () => {
  it("refuses bodies over the size limit with 413, and JSON nested too deep with 400, on every JSON endpoint", async () => {
    const sim = await start();
    const json = { "content-type": "application/json" };
    const deep = nestedJsonText(MAX_JSON_DEPTH + 1, "array");
    const endpoints: Array<[string, string, string]> = [
      ["PUT", "/api/balance", `{"balance":${deep}}`],
      ["POST", "/api/bots", `{"name":"x","url":${deep}}`],
      ["POST", "/api/conversations", `{"botName":${deep}}`],
      ["POST", "/api/messages/m/feedback", `{"type":${deep}}`],
      ["POST", "/bot/Echo", `{"type":"query","extra":${deep}}`],
      ["POST", `/bot/update_settings/Guarded/${KEY}/1.2`, `{"extra":${deep}}`],
      ["POST", "/bot/cost/bq-1/authorize", `{"amounts":${deep}}`],
    ];
    for (const [method, url, body] of endpoints) {
      const refused = await call(sim, method, url, body, json);
      expect([url, refused.status]).toEqual([url, 400]);
      expect(await refused.text()).toContain(`nests more than ${MAX_JSON_DEPTH} levels deep`);
    }
    const huge = (bytes: number) => `{"text":"${"a".repeat(bytes)}"}`;
    for (const [url, limit] of [
      ["/api/conversations", 1024 * 1024],
      ["/bot/Echo", 16 * 1024 * 1024],
    ] as const) {
      const refused = await call(sim, "POST", url, huge(limit + 1), json);
      expect([url, refused.status]).toEqual([url, 413]);
      expect(await refused.json()).toEqual({ detail: expect.stringContaining("larger than") });
    }
    // Strings have their own limits within the body limit: a message's text is at most 100,000 characters.
    const conversation = (await (
      await call(sim, "POST", "/api/conversations", JSON.stringify({ botName: "Echo" }), json)
    ).json()) as ConversationRecord;
    const long = await call(
      sim,
      "POST",
      `/api/conversations/${conversation.id}/messages`,
      huge(100_001),
      json,
    );
    expect(long.status).toBe(400);
  });

  it("cuts off clients that send headers or a body a byte at a time (slowloris)", async () => {
    const sim = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const port = Number(new URL(sim.url).port);
    const slowHeaders = await rawExchange(
      port,
      utf8.encode("GET /api/state HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: "),
      {
        drip: 40,
        guardMs: 5_000,
      },
    );
    const slowBody = await rawExchange(
      port,
      utf8.encode("POST /api/conversations HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 10000\r\n\r\n{"),
      { drip: 40, guardMs: 5_000 },
    );
    for (const reply of [slowHeaders, slowBody]) {
      expect(reply.closedByServer).toBe(true);
      expect(reply.statuses).toEqual([408]);
      expect(reply.elapsedMs).toBeLessThan(2_500);
    }
  });
});
