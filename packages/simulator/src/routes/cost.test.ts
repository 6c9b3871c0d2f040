import {
  authorizeCost,
  type BotResponseItem,
  CostRequestError,
  captureCost,
  InsufficientFundError,
  PoeBot,
  type QueryRequest,
} from "poekit";
import { makeIdentifier } from "poekit/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordExchange } from "../query/recorded-exchange.js";
import {
  createTestContext,
  listen,
  mountRoutes,
  serveBot,
  type TestContext,
  type TestServer,
} from "../test-support/test-context.js";
import { costRoutes } from "./cost.js";

const KEY = "p".repeat(32);
const OTHER_KEY = "o".repeat(32);

/** Authorizes and captures the amount named in the message, as a paid bot does. */
class PaidBot extends PoeBot {
  constructor(private readonly origin: () => string) {
    super({ accessKey: KEY });
  }

  override async *getResponse(request: QueryRequest): AsyncGenerator<BotResponseItem> {
    const amount = Number(request.query.at(-1)?.content);
    await this.authorizeCost(
      request,
      { amount_usd_milli_cents: amount, description: "estimate" },
      {
        baseUrl: this.origin(),
      },
    );
    yield "working";
    await this.captureCost(request, [{ amount_usd_milli_cents: amount, description: "actual" }], {
      baseUrl: this.origin(),
    });
    yield " paid";
  }
}

describe("POST /bot/cost/:botQueryId/authorize and /capture", () => {
  let context: TestContext;
  let server: TestServer;
  let botServer: { url: string; close(): Promise<void> };
  let origin = "";

  beforeEach(async () => {
    context = createTestContext({ balance: 10_000, limits: { afterDoneGraceMs: 0 } });
    server = await listen(context, mountRoutes(context, [costRoutes]));
    origin = server.origin;
    botServer = await serveBot(new PaidBot(() => origin));
    await context.registry.register({ name: "Paid", url: botServer.url, accessKey: KEY });
    context.store.bots.upsert({ name: "Stranger", kind: "url", url: botServer.url, accessKey: OTHER_KEY });
  });

  afterEach(async () => {
    await botServer.close();
    await server.close();
    await context.close();
  });

  /** Has the simulator ask Paid to answer, as the chat page does; returns the text and the query's id. */
  async function ask(text: string) {
    const target = context.registry.target("Paid");
    if (!target) throw new Error("Paid is not registered");
    const botQueryId = makeIdentifier("bq");
    let answer = "";
    await recordExchange(context, {
      target,
      body: {
        version: "1.2",
        type: "query",
        query: [{ role: "user", content: text }],
        user_id: "u-1",
        conversation_id: "c-1",
        message_id: `m-${botQueryId}`,
        bot_query_id: botQueryId,
      },
      messageId: `m-${botQueryId}`,
      parentId: null,
      caller: { kind: "simulator" },
      onEvent: (event) => {
        if (event.event === "text") answer += event.data.text;
        if (event.event === "error") answer += `[error ${event.data.error_type}]`;
      },
    });
    await context.tasks.idle();
    return { answer, botQueryId };
  }

  it("authorizes and captures what the balance covers, and tells the page the new balance", async () => {
    const { answer } = await ask("2500");
    expect(answer).toBe("working paid");
    expect(context.balance.get()).toBe(7_500);
    expect(context.published.filter((event) => event.type === "balance").at(-1)).toEqual({
      type: "balance",
      balance: 7_500,
    });
  });

  it("refuses what the balance does not cover: the bot's answer becomes an insufficient_fund error", async () => {
    const { answer } = await ask("20000");
    expect(answer).toBe("[error insufficient_fund]");
    expect(context.balance.get()).toBe(10_000);
  });

  it("answers the SDK functions directly: success, then insufficient funds", async () => {
    const { botQueryId } = await ask("0");
    const request = { bot_query_id: botQueryId };
    const options = { accessKey: KEY, baseUrl: origin };
    await expect(
      authorizeCost(request, { amount_usd_milli_cents: 10_000 }, options),
    ).resolves.toBeUndefined();
    await expect(
      captureCost(request, [{ amount_usd_milli_cents: 4_000 }, { amount_usd_milli_cents: 1_000 }], options),
    ).resolves.toBeUndefined();
    expect(context.balance.get()).toBe(5_000);
    await expect(authorizeCost(request, { amount_usd_milli_cents: 5_001 }, options)).rejects.toThrow(
      InsufficientFundError,
    );
    await expect(captureCost(request, { amount_usd_milli_cents: 5_001 }, options)).rejects.toThrow(
      InsufficientFundError,
    );
    expect(context.balance.get()).toBe(5_000);
  });

  it("refuses an unknown bot_query_id with 404 and a key that is not the queried bot's with 401", async () => {
    const unknown = authorizeCost(
      { bot_query_id: "bq-nothing" },
      { amount_usd_milli_cents: 1 },
      {
        accessKey: KEY,
        baseUrl: origin,
      },
    );
    await expect(unknown).rejects.toThrow(CostRequestError);
    await expect(unknown).rejects.toThrow(/^404 Not Found: No query with bot_query_id "bq-nothing"/);

    const { botQueryId } = await ask("0");
    const stranger = captureCost(
      { bot_query_id: botQueryId },
      { amount_usd_milli_cents: 1 },
      {
        accessKey: OTHER_KEY,
        baseUrl: origin,
      },
    );
    await expect(stranger).rejects.toThrow(CostRequestError);
    await expect(stranger).rejects.toThrow(/^401 Unauthorized: The access_key is not the key of bot "Paid"/);
    expect(context.balance.get()).toBe(10_000);
  });

  it("answers 400 with an event stream saying what is wrong with the body", async () => {
    const { botQueryId } = await ask("0");
    const post = (body: string) =>
      fetch(`${origin}/bot/cost/${botQueryId}/capture`, { method: "POST", body });
    for (const body of [
      "not json",
      JSON.stringify({ access_key: KEY }),
      JSON.stringify({ amounts: { amount_usd_milli_cents: -1 }, access_key: KEY }),
      JSON.stringify({ amounts: [{ amount_usd_milli_cents: 1.5 }], access_key: KEY }),
      JSON.stringify({ amounts: [], access_key: KEY }),
    ]) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(await response.text()).toMatch(/^event: error\r\ndata: \{"message":"/);
    }
    const wrongAction = await fetch(`${origin}/bot/cost/${botQueryId}/refund`, {
      method: "POST",
      body: "{}",
    });
    expect(wrongAction.status).toBe(404);
    expect(context.balance.get()).toBe(10_000);
  });
});
