import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  DataResponse,
  ErrorResponse,
  PartialResponse,
  PoeBot,
  type QueryRequest,
  silentLogger,
} from "poekit";
import { type RunningServer, run } from "poekit/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type HeaderStrictBot,
  startHeaderStrictBot,
} from "../../../poekit/src/test-support/header-strict-bot.js";
import {
  frame,
  type RawExchange,
  type RawSseServer,
  type RecordedRequest,
  SSE_HEADERS,
  sendSse,
  startRawSseServer,
} from "../../../poekit/src/test-support/raw-sse-server.js";
import { buildIfStale } from "../test-support/build-if-stale.js";
import { driveChat } from "../test-support/drive-chat.js";
import { UserError } from "../user-error.js";
import { chat } from "./chat-action.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const ACCESS_KEY = "chat0123456789abcdefghijklmnopqr";
const TEXT_AND_DONE = [frame("text", '{"text":"ok"}'), frame("done", "{}")];

/** A bot that counts its turns in `data`, offers two replies, and requires its access key. */
class CounterBot extends PoeBot {
  override async getSettings() {
    return { introduction_message: "I count.\nSay anything.", response_version: 2 };
  }

  override async *getResponse(request: QueryRequest) {
    const previous = request.query.findLast((message) => message.role === "bot")?.metadata;
    const turn = Number(previous ?? "0") + 1;
    if (request.query.at(-1)?.content === "fail") {
      yield new ErrorResponse({ text: "I refuse.", allow_retry: false });
      return;
    }
    yield new PartialResponse({ text: `turn ${turn}: ` });
    yield new PartialResponse({ text: request.query.at(-1)?.content ?? "" });
    yield new DataResponse({ metadata: String(turn) });
    yield new PartialResponse({ text: "Go on", is_suggested_reply: true });
    yield new PartialResponse({ text: "Stop", is_suggested_reply: true });
  }
}

/** A raw route: settings answered with `settings` (501 when null), queries with `events(body)`. */
function bot(events: (body: Record<string, unknown>) => string[], settings: object | null = null) {
  return ({ response, body }: RawExchange) => {
    if (body.type === "settings") {
      response.writeHead(settings === null ? 501 : 200, { "content-type": "application/json" });
      response.end(JSON.stringify(settings ?? { detail: "Unsupported request type: settings" }));
      return;
    }
    sendSse(response, ...events(body));
  };
}

type Message = Record<string, unknown>;

/** The messages of a recorded query request. */
function messagesOf(request: RecordedRequest | undefined): Message[] {
  if (!request) throw new Error("No such query was received.");
  return request.body.query as Message[];
}

describe("poekit chat, with a bot that breaks rules on purpose", () => {
  let raw: RawSseServer;
  const url = (route: string) => `${raw.baseUrl}${route}`;
  /** The query requests received, the settings requests left out. */
  const queries = () => raw.queries.filter((request) => request.body.type === "query");

  beforeAll(async () => {
    raw = await startRawSseServer({
      echo: bot((body) => {
        const last = (body.query as Message[]).at(-1)?.content as string;
        return [
          frame("text", JSON.stringify({ text: "you said: " })),
          frame("text", JSON.stringify({ text: last })),
          frame("data", JSON.stringify({ metadata: `seen ${last}` })),
          frame("suggested_reply", '{"text":"Tell me more"}'),
          frame("suggested_reply", '{"text":"Stop"}'),
          frame("done", "{}"),
        ];
      }),
      intro: bot(() => TEXT_AND_DONE, { introduction_message: "Hello from raw", response_version: 2 }),
      badsettings: bot(() => TEXT_AND_DONE, { allow_attachments: "yes" }),
      error: bot(() => [
        frame("text", '{"text":"partial"}'),
        frame("error", '{"allow_retry":false,"text":"Out of tokens","error_type":"user_message_too_long"}'),
        frame("done", "{}"),
      ]),
      retry: bot(() => [frame("error", '{"text":"Busy"}'), frame("done", "{}")]),
      alternating: bot(() => [frame("error", '{"text":"Busy"}'), frame("done", "{}")], {
        enforce_author_role_alternation: true,
      }),
      purr: bot(() => [frame("purr", '{"meow":true}'), ...TEXT_AND_DONE]),
      replace: bot(() => [
        frame("text", '{"text":"draft"}'),
        frame("replace_response", '{"text":"final"}'),
        frame("text", '{"text":" answer"}'),
        frame("done", "{}"),
      ]),
      file: bot(() => [
        frame("file", '{"url":"https://files.test/r.pdf","content_type":"application/pdf","name":"r.pdf"}'),
        ...TEXT_AND_DONE,
      ]),
      escapes: bot(
        () => [
          frame("text", JSON.stringify({ text: "clear\u001b[2J\u001b]52;c;cHduZWQ=\u0007\r\u009b2Jdone\n" })),
          frame("suggested_reply", JSON.stringify({ text: "pick\u001b[31m me" })),
          frame(
            "file",
            JSON.stringify({
              url: "https://f.test/\u001b[1m",
              content_type: "a/b",
              name: "x\u001b]0;t\u0007",
            }),
          ),
          frame("error", JSON.stringify({ text: "bad\u001b[8m", allow_retry: true })),
          frame("done", "{}"),
        ],
        { introduction_message: "hi\u001b]0;title\u0007" },
      ),
      hang: ({ response, body }) => {
        if (body.type === "settings") {
          response.writeHead(501).end();
          return;
        }
        response.writeHead(200, SSE_HEADERS);
        response.write(frame("text", '{"text":"thinking"}'));
      },
    });
  });
  afterEach(() => raw.reset());
  afterAll(() => raw.close());

  it("streams the answer, then sends the history with every field Poe sends on the next turn", async () => {
    const { code, output } = await driveChat(url("echo"), ["hello", "again"], { user: "u-tester" });
    expect(code).toBe(0);
    expect(output).toContain("> hello\nyou said: hello\n");
    expect(output).toContain("> again\nyou said: again\n");
    expect(output).toMatch(/first byte \d+ ms, first text \d+ ms, done \d+ ms/);

    const [first, second] = queries();
    if (!first || !second) throw new Error("expected two queries");
    expect(first.body).toMatchObject({
      version: "1.2",
      type: "query",
      user_id: "u-tester",
      metadata: "",
      users: [{ id: "u-tester", name: null }],
    });
    expect(second.body.user_id).toBe("u-tester");
    expect(second.body.conversation_id).toBe(first.body.conversation_id);
    expect(second.body.conversation_id).toMatch(/^c-/);
    expect(second.body.message_id).not.toBe(first.body.message_id);
    expect(second.body.bot_query_id).not.toBe(first.body.bot_query_id);

    const history = messagesOf(second);
    expect(history.map((message) => [message.role, message.content])).toEqual([
      ["user", "hello"],
      ["bot", "you said: hello"],
      ["user", "again"],
    ]);
    const [user, answer] = history as [Message, Message];
    expect(answer).toMatchObject({
      message_id: first.body.message_id,
      content_type: "text/markdown",
      metadata: "seen hello",
      sender: { id: "echo", name: "echo" },
      feedback: [],
      attachments: [],
      parameters: {},
    });
    expect(user).toMatchObject({ sender: { id: "u-tester" }, feedback: [], attachments: [], parameters: {} });
    expect(user.message_id).toMatch(/^m-/);
    // Microseconds: a millisecond clock times 1000 is well beyond 10^15 today.
    expect(user.timestamp).toBeGreaterThan(1e15);
    expect(answer.timestamp as number).toBeGreaterThanOrEqual(user.timestamp as number);
  });

  it("lists suggested replies by number and sends the one whose number is typed", async () => {
    const { output } = await driveChat(url("echo"), ["hi", "2", "7"]);
    expect(output).toContain("  1. Tell me more\n  2. Stop\n");
    expect(output).toContain("> Stop\nyou said: Stop\n");
    // No seventh reply: the number is a message like any other.
    expect(output).toContain("> 7\nyou said: 7\n");
    const sent = queries().map((request) => messagesOf(request).at(-1)?.content);
    expect(sent).toEqual(["hi", "Stop", "7"]);
  });

  it("/clear starts a new conversation with an empty history", async () => {
    const { output } = await driveChat(url("echo"), ["one", "/clear", "two"]);
    expect(output).toContain("context cleared\n");
    const [first, second] = queries();
    expect(second?.body.conversation_id).not.toBe(first?.body.conversation_id);
    expect(second?.body.user_id).toBe(first?.body.user_id);
    expect(messagesOf(second).map((message) => message.content)).toEqual(["two"]);
  });

  it("shows the introduction in the header, and a bot without settings as a note", async () => {
    const intro = await driveChat(url("intro"), []);
    expect(intro.output.split("\n")[0]).toMatch(
      /^poekit chat with http:\/\/127\.0\.0\.1:\d+\/intro — Hello from raw/,
    );
    const none = await driveChat(url("echo"), []);
    expect(none.output).toContain("The bot answered 501");
    expect(none.output).not.toContain("warning");
  });

  it("warns about invalid settings and goes on", async () => {
    const { code, output } = await driveChat(url("badsettings"), ["hi"]);
    expect(code).toBe(0);
    expect(output).toMatch(
      /warning: the bot's settings could not be read: Invalid settings at allow_attachments/,
    );
    expect(output).toContain("> hi\nok\n");
  });

  it("shows an error event with whether retry is allowed, and keeps the failed answer out of the history", async () => {
    const { output } = await driveChat(url("error"), ["first", "second"]);
    expect(output).toContain("partial\nerror: Out of tokens (no retry, user_message_too_long)\n");
    const last = queries().at(-1);
    expect(messagesOf(last).map((message) => [message.role, message.content])).toEqual([
      ["user", "first"],
      ["user", "second"],
    ]);
    expect((await driveChat(url("retry"), ["x"])).output).toContain("error: Busy (retry allowed)\n");
  });

  it("merges consecutive user messages for a bot whose settings ask for role alternation", async () => {
    await driveChat(url("alternating"), ["first", "second"]);
    const last = queries().at(-1);
    expect(messagesOf(last).map((message) => [message.role, message.content])).toEqual([
      ["user", "first\n\nsecond"],
    ]);
  });

  it("shows a violation with its rule and reports it to the bot with report_error", async () => {
    const { output } = await driveChat(url("purr"), ["hi"]);
    expect(output).toMatch(/violation \[unknown-event\]: "purr" is not an event of the Poe protocol/);
    expect(output).toContain("ok\n");
    expect(raw.reports).toHaveLength(1);
    const [query] = queries();
    expect(raw.reports[0]?.path).toBe("/purr");
    expect(raw.reports[0]?.body).toMatchObject({
      version: "1.2",
      type: "report_error",
      metadata: { rule: "unknown-event", message_id: query?.body.message_id },
    });
  });

  it("reprints a replaced answer, marked, and keeps the final text", async () => {
    const { output } = await driveChat(url("replace"), ["hi", "again"]);
    expect(output).toContain("draft\n(replaced) final answer\n");
    const last = queries().at(-1);
    expect(messagesOf(last)[1]?.content).toBe("final answer");
  });

  it("prints what the bot sends without the control characters a terminal would obey", async () => {
    const { output } = await driveChat(url("escapes"), ["hi", "1"]);
    expect(output).not.toMatch(/[^\P{Cc}\t\n]/u);
    expect(output).toContain("clear[2J]52;c;cHduZWQ=2Jdone\n");
    expect(output).toContain("> pick[31m me");
  });

  it("lists the files the bot attached", async () => {
    const { output } = await driveChat(url("file"), ["hi"]);
    expect(output).toContain("ok\n  r.pdf <https://files.test/r.pdf>\n");
  });

  it("/quit ends the chat, and /help and unknown commands list the commands", async () => {
    const { code, output } = await driveChat(url("echo"), [
      "/help",
      "/wat",
      "//slash",
      "/quit",
      "never sent",
    ]);
    expect(code).toBe(0);
    expect(output.match(/^Commands:$/gm)).toHaveLength(2);
    expect(output).toContain("unknown command /wat\n");
    expect(output).toContain("you said: /slash\n");
    expect(output).not.toContain("never sent");
  });

  it("ends at once when its signal is aborted mid-answer, with exit code 0", async () => {
    const interrupt = new AbortController();
    let output = "";
    const lines = (async function* () {
      yield "hi";
      // The chat reads no further line until the answer is over; none ever comes.
      await new Promise(() => undefined);
    })();
    const done = chat(
      url("hang"),
      {},
      {
        input: lines,
        output: {
          write: (text: string) => {
            output += text;
            if (text.includes("thinking")) interrupt.abort();
          },
        },
        env: {},
        signal: interrupt.signal,
      },
    );
    expect(await done).toBe(0);
    expect(output).toMatch(/thinking\n$/);
  });

  it("colours only a terminal, and never with NO_COLOR", async () => {
    const piped = await driveChat(url("purr"), ["hi"]);
    expect(piped.output).not.toContain("\u001b[");
    const onTerminal = async (env: Record<string, string>) => {
      let output = "";
      const write = (text: string) => {
        output += text;
      };
      await chat(url("purr"), {}, { input: Readable.from(["hi\n"]), output: { isTTY: true, write }, env });
      return output;
    };
    expect(await onTerminal({})).toContain("\u001b[33mviolation [unknown-event]");
    const plain = await onTerminal({ NO_COLOR: "1" });
    expect(plain).toContain("violation [unknown-event]");
    expect(plain).not.toContain("\u001b[");
  });
});

describe("poekit chat, with a poekit bot", () => {
  let server: RunningServer;

  beforeAll(async () => {
    const counter = new CounterBot({ accessKey: ACCESS_KEY });
    server = await run(counter, {
      port: 0,
      host: "127.0.0.1",
      handleSignals: false,
      syncSettings: false,
      logger: silentLogger,
      argv: [],
    });
  });
  afterAll(() => server.close(0));

  it("sends the access key from $POE_ACCESS_KEY, hands data back, and prints the settings", async () => {
    const { code, output } = await driveChat(
      `${server.url}/`,
      ["hello", "1", "/settings", "fail"],
      {},
      {
        env: { POE_ACCESS_KEY: ACCESS_KEY },
      },
    );
    expect(code).toBe(0);
    expect(output.split("\n")[0]).toContain("— I count. Say anything.");
    expect(output).toContain("turn 1: hello\n");
    expect(output).toContain("> Go on\nturn 2: Go on\n");
    expect(output).toContain('"introduction_message": "I count.\\nSay anything."');
    expect(output).toContain("error: I refuse. (no retry)\n");
    expect(output).not.toContain("violation");
  });

  it("takes --access-key over $POE_ACCESS_KEY; a wrong key is shown as the bot's 401", async () => {
    const wrong = "x".repeat(32);
    const { output } = await driveChat(
      `${server.url}/`,
      ["hello"],
      { accessKey: wrong },
      {
        env: { POE_ACCESS_KEY: ACCESS_KEY },
      },
    );
    expect(output).toMatch(/warning: the bot's settings could not be read: .*HTTP 401/);
    expect(output).toMatch(/violation \[http-status\]: The bot answered the query with HTTP status 401/);
    expect((await driveChat(`${server.url}/`, ["hello"], { accessKey: ACCESS_KEY })).output).toContain(
      "turn 1: hello\n",
    );
  });
});

describe("poekit chat, with a bot that refuses requests without Authorization", () => {
  let strict: HeaderStrictBot;
  beforeAll(async () => {
    strict = await startHeaderStrictBot();
  });
  afterAll(() => strict.close());

  it("sends a generated key when none is given, printed once", async () => {
    const { code, output } = await driveChat(strict.url, ["hello"]);
    expect(code).toBe(0);
    expect(output).toContain("— strict");
    expect(output).toContain("ok");
    const key = /sending Authorization: Bearer ([0-9a-f]{32})\n/.exec(output)?.[1];
    expect(key).toBeDefined();
    expect(output.split(key as string)).toHaveLength(2);
    expect(new Set(strict.requests.map((request) => request.type))).toEqual(
      new Set(["settings", "query", "report_error"]),
    );
    expect(new Set(strict.requests.map((request) => request.authorization))).toEqual(
      new Set([`Bearer ${key}`]),
    );
  });

  it("never prints a key that was given", async () => {
    const { output } = await driveChat(strict.url, ["hello"], { accessKey: ACCESS_KEY });
    expect(output).toContain("ok");
    expect(output).not.toContain(ACCESS_KEY);
    expect(output).not.toContain("Authorization");
  });
});

describe("poekit chat, when there is no bot", () => {
  it("says in one line that the bot cannot be reached, exit code 1", async () => {
    const port = await closedPort();
    const { code, output, errors } = await driveChat(`http://127.0.0.1:${port}/`, ["hello"]);
    expect(code).toBe(1);
    expect(output).toBe("");
    expect(errors).toBe(
      `poekit: error: could not reach http://127.0.0.1:${port}/: connection refused. Is the bot running? (start it with poekit serve <module>)\n`,
    );
  });

  it.each([
    ["not a URL", "localhost-8080", /"localhost-8080" is not a URL/],
    ["not http", "ftp://127.0.0.1/", /"ftp:\/\/127\.0\.0\.1\/" is not an http or https URL/],
  ])("rejects a URL that is %s as a user error", async (_name, url, message) => {
    const failure = driveChat(url, []);
    await expect(failure).rejects.toThrow(UserError);
    await expect(failure).rejects.toThrow(message);
  });
});

describe("the poekit binary", () => {
  beforeAll(buildIfStale, 120_000);

  it("chats with piped input and exits 0 at its end", async () => {
    const counter = new CounterBot({ accessKey: ACCESS_KEY });
    const server = await run(counter, {
      port: 0,
      host: "127.0.0.1",
      handleSignals: false,
      syncSettings: false,
      logger: silentLogger,
      argv: [],
    });
    try {
      const child = spawn(
        process.execPath,
        [path.join(root, "packages/poekit/bin/poekit.js"), "chat", `${server.url}/`],
        { cwd: root, env: { ...process.env, POE_ACCESS_KEY: ACCESS_KEY }, stdio: ["pipe", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      child.stdin.end("hello\n2\n");
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`poekit chat did not exit:\n${stdout}${stderr}`));
        }, 15_000);
        child.once("close", (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toMatch(/^poekit chat with http:\/\/127\.0\.0\.1:\d+\/ — I count\. Say anything\./);
      expect(stdout).toContain("> hello\nturn 1: hello\n  1. Go on\n  2. Stop\n");
      expect(stdout).toContain("> Stop\nturn 2: Stop\n");
    } finally {
      await server.close(0);
    }
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
