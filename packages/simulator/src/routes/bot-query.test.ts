import { Hono } from "hono";
import {
  BotError,
  BotErrorNoRetry,
  type BotResponseItem,
  HTTPError,
  PartialResponse,
  PoeBot,
  type QueryRequest,
  type SettingsResponse,
  streamRequest,
} from "poekit";
import { MAX_BOT_CALLS_PER_MESSAGE } from "poekit/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordExchange } from "../query/recorded-exchange.js";
import { queryBody } from "../test-support/query-body.js";
import {
  createTestContext,
  listen,
  mountRoutes,
  type TestContext,
  type TestServer,
} from "../test-support/test-context.js";
import { botQueryRoutes } from "./bot-query.js";

const CALLER_KEY = "c".repeat(32);
/** What a script calls with: a Poe user's API key, which the simulator cannot check. */
const USER_KEY = "a-user-api-key";

/** Answers "pong: <last message>". */
class TargetBot extends PoeBot {
  override async *getResponse(request: QueryRequest): AsyncGenerator<BotResponseItem> {
    yield new PartialResponse({ text: `pong: ${request.query.at(-1)?.content ?? ""}` });
  }
}

/** Says "start", then stays silent until the caller gives up. */
class SlowBot extends PoeBot {
  override async *getResponse(): AsyncGenerator<BotResponseItem> {
    yield new PartialResponse({ text: "start" });
    await new Promise((resolve) => setTimeout(resolve, 10_000).unref());
    yield new PartialResponse({ text: "too late" });
  }
}

/**
 * Calls each bot named in the last message (space-separated) through the bot query API, as a bot
 * inside Poe does, and reports what each call gave.
 */
class CallerBot extends PoeBot {
  constructor(
    private readonly origin: () => string,
    private readonly dependencies: Record<string, number>,
  ) {
    super();
  }

  override async *getResponse(request: QueryRequest): AsyncGenerator<BotResponseItem> {
    const names = (request.query.at(-1)?.content ?? "").split(" ").filter(Boolean);
    for (const name of names) {
      try {
        let text = "";
        const stream = streamRequest(request, name, request.access_key, {
          baseUrl: `${this.origin()}/bot/`,
          retries: 1,
          onError: () => undefined,
        });
        for await (const message of stream) if (message instanceof PartialResponse) text += message.text;
        yield `[${name} ok: ${text}]`;
      } catch (error) {
        yield `[${name} refused: ${(error as Error).message}]`;
      }
    }
  }

  override async getSettings(): Promise<SettingsResponse> {
    return { server_bot_dependencies: this.dependencies };
  }
}

describe("POST /bot/:name", () => {
  let context: TestContext;
  let server: TestServer;
  let origin = "";

  beforeEach(async () => {
    const originOf = () => origin;
    context = createTestContext({
      bots: [
        { name: "Target", kind: "builtin", description: "test target", bot: new TargetBot() },
        { name: "Other", kind: "builtin", description: "test target", bot: new TargetBot() },
        { name: "Slow", kind: "builtin", description: "slow", bot: new SlowBot() },
        {
          name: "Caller",
          kind: "builtin",
          description: "caller",
          bot: new CallerBot(originOf, { Target: 2 }),
        },
      ],
      limits: { afterDoneGraceMs: 0 },
    });
    const broken = new Hono().post("/broken", (c) => c.text("the server fell over", 500));
    const app = mountRoutes(context, [botQueryRoutes, () => broken]);
    server = await listen(context, app);
    origin = server.origin;
    // A bot registered by URL with a key: the key identifies it when it calls other bots.
    context.store.bots.upsert({ name: "Keyed", kind: "url", url: `${origin}/unused`, accessKey: CALLER_KEY });
    context.registry.setSettings("Keyed", { server_bot_dependencies: { Target: 1, Broken: 1 } });
    context.store.bots.upsert({ name: "Broken", kind: "url", url: `${origin}/broken`, accessKey: null });
    await context.registry.refreshSettings("Caller");
  });

  afterEach(async () => {
    await server.close();
    await context.close();
  });

  /** Has the simulator ask `botName` to answer message `messageId`, as the chat page does. */
  async function ask(botName: string, messageId: string, text: string) {
    const target = context.registry.target(botName);
    if (!target) throw new Error(`no bot ${botName}`);
    let answer = "";
    const { exchange, outcome } = await recordExchange(context, {
      target,
      body: queryBody(messageId, text),
      messageId,
      parentId: null,
      caller: { kind: "simulator" },
      onEvent: (event) => {
        if (event.event === "text") answer += event.data.text;
      },
    });
    await context.tasks.idle();
    return { answer, exchange, outcome };
  }

  it("lets a bot call its declared dependencies and streams their answer back, recorded as nested exchanges", async () => {
    const { answer, exchange, outcome } = await ask("Caller", "m-ok", "Target Target");
    expect(outcome.completed).toBe(true);
    expect(answer).toBe("[Target ok: pong: Target Target][Target ok: pong: Target Target]");

    const nested = context.store.exchanges.listForMessage("m-ok").filter((x) => x.id !== exchange.id);
    expect(nested).toHaveLength(2);
    for (const call of nested) {
      expect(call).toMatchObject({
        botName: "Target",
        parentId: exchange.id,
        caller: { kind: "bot", botName: "Caller" },
        status: "complete",
      });
      const request = call.request as Record<string, unknown>;
      // The key never reaches the called bot, and its query gets its own id for cost calls.
      expect(request.access_key).toBe("<missing>");
      expect(request.api_key).toBe("<missing>");
      expect(request.bot_query_id).not.toBe((exchange.request as Record<string, unknown>).bot_query_id);
      expect(request.message_id).toBe("m-ok");
      // Caller runs in-process, without a key to pass: Poe would refuse, so the call says so.
      expect(call.violations.map((violation) => violation.rule)).toEqual(["bot-query-key"]);
    }
  });

  it("refuses a call to a bot that is not in the caller's server_bot_dependencies", async () => {
    const { answer } = await ask("Caller", "m-undeclared", "Other");
    expect(answer).toContain(
      `[Other refused: Bot "Caller" may not call "Other": Other is not in Caller's server_bot_dependencies. Declare it in the bot's settings`,
    );
    // A refused call reaches no bot and is not recorded.
    expect(context.store.exchanges.listForMessage("m-undeclared")).toHaveLength(1);
  });

  it("refuses calls beyond the number declared for this message", async () => {
    const { answer } = await ask("Caller", "m-three", "Target Target Target");
    const parts = answer.split("][");
    expect(parts[0]).toContain("Target ok");
    expect(parts[1]).toContain("Target ok");
    expect(parts[2]).toContain(
      `Target refused: Bot "Caller" may not call "Target" again for this message: its server_bot_dependencies allow 2 calls per message and it has made 2.`,
    );
  });

  it("identifies a calling bot by its access key", async () => {
    const request = queryBody("m-keyed", "hi");
    let text = "";
    for await (const message of streamRequest(request, "Target", CALLER_KEY, quiet(origin))) {
      if (message instanceof PartialResponse) text += message.text;
    }
    expect(text).toBe("pong: hi");
    expect(context.store.exchanges.listForMessage("m-keyed")[0]?.caller).toEqual({
      kind: "bot",
      botName: "Keyed",
    });

    const refused = collect(streamRequest(request, "Other", CALLER_KEY, quiet(origin)));
    await expect(refused).rejects.toThrow(BotErrorNoRetry);
    await expect(refused).rejects.toThrow(/Bot "Keyed" may not call "Other"/);
  });

  it(`refuses call ${MAX_BOT_CALLS_PER_MESSAGE + 1} for one message, whoever makes it`, async () => {
    const request = queryBody("m-many", "hi");
    for (let i = 0; i < MAX_BOT_CALLS_PER_MESSAGE; i++) {
      await expect(collect(streamRequest(request, "Target", USER_KEY, quiet(origin)))).resolves.toBe(
        "pong: hi",
      );
    }
    const eleventh = collect(streamRequest(request, "Target", USER_KEY, quiet(origin)));
    await expect(eleventh).rejects.toThrow(BotErrorNoRetry);
    await expect(eleventh).rejects.toThrow(
      /has already made 10 bot query API calls, and Poe allows at most 10/,
    );
    // Another message has its own count.
    await expect(
      collect(streamRequest(queryBody("m-other", "x"), "Target", USER_KEY, quiet(origin))),
    ).resolves.toBe("pong: x");
  });

  it("ends the caller's stream with a retryable error when the called bot fails", async () => {
    const call = collect(
      streamRequest(queryBody("m-broken", "hi"), "Broken", CALLER_KEY, {
        baseUrl: `${origin}/bot/`,
        retries: 1,
        onError: () => undefined,
      }),
    );
    await expect(call).rejects.toThrow(BotError);
    await expect(call).rejects.toThrow(
      /The bot "Broken" failed: The bot answered the query with HTTP status 500/,
    );
    await expect(call).rejects.toMatchObject({ allowRetry: true });
    const [exchange] = context.store.exchanges.listForMessage("m-broken");
    expect(exchange).toMatchObject({ botName: "Broken", status: "failed", httpStatus: 500 });
  });

  it("aborts the exchange when the caller disconnects", async () => {
    const response = await fetch(`${origin}/bot/Slow`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${USER_KEY}` },
      body: JSON.stringify(queryBody("m-slow", "hi")),
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"text":"start"');
    await reader.cancel();
    const exchange = await waitFor(() => {
      const [found] = context.store.exchanges.listForMessage("m-slow");
      return found?.status === "running" ? undefined : found;
    });
    expect(exchange.status).toBe("failed");
    expect(exchange.timings.doneMs).toBeNull();
  });

  it("answers 404 for an unknown bot and 400 for a body that is not a query request, as JSON", async () => {
    const unknown = collect(streamRequest(queryBody("m-x", "hi"), "Nobody", null, quiet(origin)));
    await expect(unknown).rejects.toThrow(HTTPError);
    await expect(unknown).rejects.toMatchObject({ status: 404 });

    for (const body of ["not json", "[]", JSON.stringify({ type: "query", query: "nope" })]) {
      const response = await fetch(`${origin}/bot/Target`, { method: "POST", body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ detail: expect.any(String) });
    }
  });

  it("accepts report_error from a client and refuses browsers on other sites", async () => {
    const report = await fetch(`${origin}/bot/Target`, {
      method: "POST",
      body: JSON.stringify({ version: "1.2", type: "report_error", message: "x", metadata: {} }),
    });
    expect(report.status).toBe(200);
    expect(await report.json()).toEqual({});

    const crossSite = await fetch(`${origin}/bot/Target`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "text/plain" },
      body: JSON.stringify(queryBody("m-evil", "hi")),
    });
    expect(crossSite.status).toBe(403);
    expect(context.store.exchanges.listForMessage("m-evil")).toHaveLength(0);
  });
});

/** Options of streamRequest against the test simulator, without the console warnings of expected failures. */
function quiet(origin: string) {
  return { baseUrl: `${origin}/bot/`, onError: () => undefined };
}

async function collect(stream: AsyncIterable<unknown>): Promise<string> {
  let text = "";
  for await (const message of stream) if (message instanceof PartialResponse) text += message.text;
  return text;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("timed out waiting");
}
