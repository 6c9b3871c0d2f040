import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type HeaderStrictBot,
  startHeaderStrictBot,
} from "../../poekit/src/test-support/header-strict-bot.js";
import type { BotRecord, ConversationRecord, MessageRecord } from "./model.js";
import { type RunningSimulator, startSimulator } from "./start.js";

let bot: HeaderStrictBot;
let sim: RunningSimulator;

beforeAll(async () => {
  bot = await startHeaderStrictBot();
  sim = await startSimulator({ port: 0, db: ":memory:", bots: [{ name: "Strict", url: bot.url }] });
});

afterAll(async () => {
  await sim?.close();
  await bot?.close();
});

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sim.url}${url}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${url}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

describe("a bot registered without a key", () => {
  it("is sent a generated key with every request, which the page is shown", async () => {
    const [record] = (await api<BotRecord[]>("GET", "/api/bots")).filter((b) => b.name === "Strict");
    expect(record).toMatchObject({ hasAccessKey: false, settingsError: null });
    expect(record?.settings.introductionMessage).toBe("strict");
    const key = record?.generatedAccessKey as string;
    expect(key).toMatch(/^[0-9a-f]{32}$/);

    const conversation = await api<ConversationRecord>("POST", "/api/conversations", { botName: "Strict" });
    const { botMessages } = await api<{ botMessages: MessageRecord[] }>(
      "POST",
      `/api/conversations/${conversation.id}/messages`,
      { text: "hi" },
    );
    await sim.simulator.context.tasks.idle();
    const id = botMessages[0]?.id as string;
    await api("POST", `/api/messages/${id}/feedback`, { type: "like" });
    await api("POST", `/api/messages/${id}/reactions`, { reaction: "👍" });
    await vi.waitFor(() =>
      expect(new Set(bot.requests.map((request) => request.type))).toEqual(
        new Set(["settings", "query", "report_error", "report_feedback", "report_reaction"]),
      ),
    );
    const { messages } = await api<{ messages: MessageRecord[] }>(
      "GET",
      `/api/conversations/${conversation.id}`,
    );
    expect(messages.find((message) => message.id === id)?.content).toBe("ok");
    // One key for the bot, the same in every request.
    expect(new Set(bot.requests.map((request) => request.authorization))).toEqual(new Set([`Bearer ${key}`]));
  });

  it("keeps its generated key out of key checks: it cannot call Poe's APIs with it", async () => {
    const key = sim.simulator.context.registry.get("Strict")?.generatedAccessKey as string;
    expect(sim.simulator.context.registry.keyMatches("Strict", key)).toBe(false);
    expect(sim.simulator.context.registry.findByAccessKey(key)).toBeUndefined();
  });
});
