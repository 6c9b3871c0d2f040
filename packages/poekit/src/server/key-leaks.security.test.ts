import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { streamRequest } from "../client/stream-request.js";
import { syncBotSettings } from "../core/poe-api/sync-bot-settings.js";
import { uploadFile } from "../core/poe-api/upload-file.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { queryBody } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import { PoeBot } from "./poe-bot.js";

/** The bot's access key: it must never be written anywhere but the Authorization header it is sent in. */
const CANARY = "CANARYcanaryCANARYcanary01234567";
/** A wrong key a client presents: a server must not echo it back either. */
const PRESENTED = "PRESENTEDpresentedPRESENTED98765";

/**
 * A careless upstream that echoes what it was sent (method, URL, Authorization header) in its error
 * bodies, as many frameworks' default error pages and debugging proxies do.
 */
function startEchoServer(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(
        `Cannot ${request.method} ${request.url} (authorization: ${request.headers.authorization})`,
      );
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let echo: Server;
let echoUrl: string;
beforeAll(async () => {
  echo = await startEchoServer();
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

/** Everything written to the console or the process's streams, and everything handed back, as text. */
let captured: string[] = [];
const capture = (...values: unknown[]) => {
  captured.push(
    values.map((value) => (typeof value === "string" ? value : inspect(value, { depth: 8 }))).join(" "),
  );
};
beforeEach(() => {
  captured = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation(capture);
  }
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    capture(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    capture(String(chunk));
    return true;
  });
  vi.stubEnv("POE_API_BASE_URL", echoUrl);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** An error as a program would log or serialize it: message, stack, causes and every own field. */
function everythingAbout(error: unknown): string {
  return `${inspect(error, { depth: 8, showHidden: true })} ${JSON.stringify(error)} ${String(error)}`;
}

async function responseText(response: Response): Promise<string> {
  return `${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`;
}

function expectNoKey(texts: readonly string[]): void {
  const all = texts.join("\n");
  expect(all).not.toContain(CANARY);
  expect(all).not.toContain(PRESENTED);
  expect(all).not.toContain(encodeURIComponent(CANARY));
}

/** A bot that calls an upstream bot, uploads a file, or fails, depending on the message. */
class CarelessBot extends PoeBot {
  constructor() {
    super({ accessKey: CANARY, botName: "Careless" });
  }
  override async *getResponse(request: QueryRequest) {
    const content = request.query.at(-1)?.content;
    if (content === "call") {
      // The bot passes its key on, as the docs say; the upstream answers 500 with the key in its body.
      yield* streamRequest(request, "Upstream", request.access_key, { retries: 1 });
    } else if (content === "upload") {
      await this.postMessageAttachment({
        messageId: request.message_id,
        fileData: new Uint8Array([1, 2, 3]),
        filename: "a.bin",
      });
    } else {
      throw new Error("the bot's own bug");
    }
  }
  override async getSettings() {
    return { introduction_message: "hi" };
  }
}

describe("access keys in logs, errors and answers (a canary key searched in all output)", () => {
  it("never show up: auth failures, bot errors, client errors, settings sync and upload failures", async () => {
    const outputs: string[] = [];
    const app = makeApp(new CarelessBot(), { env: {} });
    // Settings sync (on the first request) fails: the upstream answers 500 and echoes the URL, which
    // holds the key.
    await app.fetch(new Request("http://bot.test/"));
    await app.settingsSynced;

    const send = (authorization: string | undefined, body: unknown) =>
      app.fetch(
        new Request("http://bot.test/", {
          method: "POST",
          headers: authorization === undefined ? {} : { authorization },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
      );
    // Refused: a wrong key, the right key with another scheme, the key alone, the key with junk.
    for (const authorization of [
      `Bearer ${PRESENTED}`,
      `Basic ${CANARY}`,
      CANARY,
      `${CANARY} ${CANARY}`,
      `Bearer ${CANARY}x`,
      `Bearer ${PRESENTED}${CANARY}`,
    ]) {
      outputs.push(await responseText(await send(authorization, queryBody("call"))));
    }
    // Accepted, then refused for the body; and the three ways a query fails inside the bot.
    outputs.push(await responseText(await send(`Bearer ${CANARY}`, "{not json")));
    outputs.push(
      await responseText(await send(`Bearer ${CANARY}`, { type: "query", access_key: PRESENTED })),
    );
    for (const [content, failure] of [
      ["call", "HTTPError"],
      ["upload", "AttachmentUploadError"],
      ["fail", "the bot's own bug"],
    ] as const) {
      const text = await responseText(await send(`Bearer ${CANARY}`, queryBody(content)));
      expect(text).toContain(failure);
      outputs.push(text);
    }

    // The client and the API helpers used from a script: each failure as the caller gets it.
    const failures = await Promise.all(
      [
        (async () => {
          for await (const _ of streamRequest(queryBody() as never, "Upstream", CANARY, { retries: 1 })) {
            // Nothing arrives: the upstream answers 500.
          }
        })(),
        syncBotSettings("Careless", CANARY, { settings: {} }),
        syncBotSettings("Careless", CANARY, { baseUrl: "http://127.0.0.1:9/bot/" }),
        uploadFile({ file: new Uint8Array([1]), fileName: "a.bin", apiKey: CANARY, retries: 1 }),
      ].map((call) =>
        call.then(
          () => new Error("expected a failure"),
          (error: unknown) => error,
        ),
      ),
    );
    expect(failures.map((error) => (error as Error).name)).toEqual([
      "HTTPError",
      "HTTPError",
      "PoeError",
      "AttachmentUploadError",
    ]);
    outputs.push(...failures.map(everythingAbout));

    // The output is not empty: the failures above were logged and reported, only without the key.
    expect(captured.join("\n")).toMatch(/not synced/);
    expect(captured.join("\n")).toMatch(/HTTP 500/);
    // The echoing upstream's answers are there, with the key masked.
    expect(outputs.join("\n")).toContain("authorization: Bearer ***");
    expectNoKey([...outputs, ...captured]);
  });
});
