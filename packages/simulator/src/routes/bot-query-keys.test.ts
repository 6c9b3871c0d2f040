import {
  BotError,
  type BotResponseItem,
  PartialResponse,
  PoeBot,
  type QueryRequest,
  type ReportErrorRequest,
  type SettingsResponse,
  streamRequest,
} from "poekit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExchangeRecord } from "../model.js";
import { recordExchange } from "../query/recorded-exchange.js";
import { queryBody } from "../test-support/query-body.js";
import {
  createTestContext,
  listen,
  mountRoutes,
  serveBot,
  type TestContext,
  type TestServer,
} from "../test-support/test-context.js";
import { botQueryRoutes } from "./bot-query.js";

const CALLER_KEY = "c".repeat(32);

/** Answers "pong"; counts the report_errors it gets. */
class TargetBot extends PoeBot {
  reports: ReportErrorRequest[] = [];

  override async *getResponse(): AsyncGenerator<BotResponseItem> {
    yield new PartialResponse({ text: "pong" });
  }

  override async onError(request: ReportErrorRequest): Promise<void> {
    this.reports.push(request);
  }
}

/** Calls Target through the bot query API with the key `keyFor` picks, and says what came of it. */
class KeyCaller extends PoeBot {
  keyFor: (request: QueryRequest) => string | null = (request) => request.access_key;
  origin = "";

  override async *getResponse(request: QueryRequest): AsyncGenerator<BotResponseItem> {
    try {
      let text = "";
      const stream = streamRequest(request, "Target", this.keyFor(request), {
        baseUrl: `${this.origin}/bot/`,
        retries: { tries: 2, sleep: async () => {} },
        onError: () => undefined,
      });
      for await (const message of stream) if (message instanceof PartialResponse) text += message.text;
      yield `ok: ${text}`;
    } catch (error) {
      yield `refused: ${(error as Error).message}`;
    }
  }

  override async getSettings(): Promise<SettingsResponse> {
    return { server_bot_dependencies: { Target: 2 } };
  }
}

describe("the bot query API judges keys as Poe does", () => {
  let context: TestContext;
  let server: TestServer;
  let target: TargetBot;
  let keyed: KeyCaller;
  let keyless: KeyCaller;
  const bots: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    target = new TargetBot();
    context = createTestContext({
      bots: [{ name: "Target", kind: "builtin", description: "test target", bot: target }],
      limits: { afterDoneGraceMs: 0 },
    });
    server = await listen(context, mountRoutes(context, [botQueryRoutes]));
    keyed = new KeyCaller({ accessKey: CALLER_KEY });
    keyless = new KeyCaller();
    keyed.origin = keyless.origin = server.origin;
    const keyedServer = await serveBot(keyed);
    const keylessServer = await serveBot(keyless, { allowWithoutKey: true });
    bots.push(keyedServer, keylessServer);
    await context.registry.register({ name: "Keyed", url: keyedServer.url, accessKey: CALLER_KEY });
    await context.registry.register({ name: "Keyless", url: keylessServer.url });
  });

  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.close();
    await server.close();
    await context.close();
  });

  /** Has the simulator ask `botName` to answer a message, as the chat page does. */
  async function ask(botName: string, messageId: string) {
    let answer = "";
    const { exchange } = await recordExchange(context, {
      target: context.registry.target(botName) as NonNullable<ReturnType<typeof context.registry.target>>,
      body: { ...queryBody(messageId) },
      messageId,
      parentId: null,
      caller: { kind: "simulator" },
      onEvent: (event) => {
        if (event.event === "text") answer += event.data.text;
      },
    });
    await context.tasks.idle();
    const calls = context.store.exchanges
      .listForMessage(messageId)
      .filter((call: ExchangeRecord) => call.id !== exchange.id);
    return { answer, exchange: context.store.exchanges.get(exchange.id), calls };
  }

  it("answers a bot that passes its own access key, with no violation", async () => {
    const { answer, calls } = await ask("Keyed", "m-right");
    expect(answer).toBe("ok: pong");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ caller: { kind: "bot", botName: "Keyed" }, violations: [] });
  });

  it("refuses a bot with a mistyped key as Poe does: a retryable Access denied error saying how to fix it", async () => {
    keyed.keyFor = () => `${CALLER_KEY.slice(0, 31)}x`;
    const { answer, calls } = await ask("Keyed", "m-wrong");
    expect(answer).toMatch(
      /^refused: Access denied: bot "Keyed" called "Target" with a 32-character key starting "cccc…", not its access key\. .*pass request\.access_key to streamRequest/,
    );
    // The key itself is not echoed, and a refused call reaches no bot.
    expect(answer).not.toContain(CALLER_KEY.slice(0, 31));
    expect(calls).toHaveLength(0);
  });

  it("refuses a bot that sends no key", async () => {
    keyed.keyFor = () => "";
    const { answer, calls } = await ask("Keyed", "m-none");
    expect(answer).toMatch(
      /^refused: Access denied: bot "Keyed" called "Target" with no key, not its access key/,
    );
    expect(calls).toHaveLength(0);
  });

  it("answers a bot registered without a key, with a violation on the call saying how to fix it, not reported to the called bot", async () => {
    const { answer, calls, exchange } = await ask("Keyless", "m-keyless");
    expect(answer).toBe("ok: pong");
    expect(calls).toHaveLength(1);
    const [violation] = calls[0]?.violations ?? [];
    expect(violation).toMatchObject({ rule: "bot-query-key", seq: null });
    expect(violation?.message).toContain(
      // poekit's client sends no key for request.access_key "<missing>" (a bot served without one).
      `Bot "Keyless" called "Target" with no key; Poe refuses such a call ("Access denied").`,
    );
    expect(violation?.message).toContain("--bot Keyless=URL#KEY");
    // The caller's own answer is not to blame either.
    expect(exchange?.violations).toEqual([]);
    await context.tasks.idle();
    expect(target.reports).toEqual([]);
  });

  it("does not take a key generated for a bot registered without one as its key", async () => {
    await ask("Keyless", "m-generated");
    const key = context.registry.get("Keyless")?.generatedAccessKey as string;
    const text = await collect(streamRequest(queryBody("m-generated"), "Target", key, quiet(server.origin)));
    expect(text).toBe("pong");
    const call = context.store.exchanges.listForMessage("m-generated").at(-1);
    expect(call?.caller).toEqual({ kind: "bot", botName: "Keyless" });
    expect(call?.violations[0]?.message).toMatch(
      /^Bot "Keyless" called "Target" with a 32-character key starting/,
    );
  });

  it("refuses a script that sends no key, and answers one with a key it cannot check (a user's API key)", async () => {
    for (const key of [null, ""]) {
      const call = collect(streamRequest(queryBody(`m-script-${key}`), "Target", key, quiet(server.origin)));
      await expect(call).rejects.toThrow(BotError);
      await expect(call).rejects.toMatchObject({ allowRetry: true });
      await expect(call).rejects.toThrow(/^Access denied: the call to "Target" carried no key\./);
    }
    await expect(
      collect(streamRequest(queryBody("m-script-user"), "Target", "a-user-api-key", quiet(server.origin))),
    ).resolves.toBe("pong");
    expect(context.store.exchanges.listForMessage("m-script-user")[0]).toMatchObject({
      caller: { kind: "bot", botName: null },
      violations: [],
    });
  });
});

function quiet(origin: string) {
  return {
    baseUrl: `${origin}/bot/`,
    onError: () => undefined,
    retries: { tries: 2, sleep: async () => {} },
  };
}

async function collect(stream: AsyncIterable<unknown>): Promise<string> {
  let text = "";
  for await (const message of stream) if (message instanceof PartialResponse) text += message.text;
  return text;
}
