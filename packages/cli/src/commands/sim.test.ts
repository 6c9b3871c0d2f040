import type { ConversationRecord, MessageRecord } from "@poekit/simulator";
import { createColors } from "picocolors";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { startHeaderStrictBot } from "../../../poekit/src/test-support/header-strict-bot.js";
import { UserError } from "../user-error.js";
import type { SimFlags } from "./sim-action.js";
import { parseBotSpec, type RunningSim, sim } from "./sim-action.js";
import { simBanner } from "./sim-banner.js";

const flags = (extra: Partial<SimFlags> = {}): SimFlags => ({
  port: "0",
  host: "127.0.0.1",
  db: ":memory:",
  bot: [],
  model: [],
  alias: [],
  ...extra,
});

let running: RunningSim | undefined;
const savedBaseUrl = process.env.POE_API_BASE_URL;
afterEach(async () => {
  await running?.close();
  running = undefined;
  if (savedBaseUrl === undefined) delete process.env.POE_API_BASE_URL;
  else process.env.POE_API_BASE_URL = savedBaseUrl;
});

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe("poekit sim", () => {
  it("runs the function-calling example end to end offline, its model answered by ScriptedLLM", async () => {
    // The served examples print no access line: the simulator's inspector already shows each exchange.
    const printed: string[] = [];
    const capture = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(capture);
    onTestFinished(() => {
      stdout.mockRestore();
      stderr.mockRestore();
    });
    running = await sim(["examples/function-calling"], flags({ alias: ["GPT-4o-Mini=ScriptedLLM"] }));
    const { url, simulator } = running.simulator;
    expect(running.simulator.bots.map((bot) => bot.name)).toEqual(
      expect.arrayContaining(["Echo", "ScriptedLLM", "GPT-4o-Mini", "function-calling"]),
    );
    const conversation = await post<ConversationRecord>(`${url}/api/conversations`, {
      botName: "function-calling",
    });
    const sent = await post<{ botMessages: MessageRecord[] }>(
      `${url}/api/conversations/${conversation.id}/messages`,
      {
        text: "What is the weather in Tokyo?",
      },
    );
    await simulator.context.tasks.idle();
    const answer = simulator.context.store.messages.get(sent.botMessages[0]?.id as string);
    expect(answer?.status).toBe("complete");
    expect(answer?.content).toContain("Tokyo");
    expect(answer?.content).toContain("11");
    // The example called its model twice (tool call, then the answer from the result), nested.
    const exchanges = simulator.context.store.exchanges.listForMessage(answer?.id as string);
    expect(exchanges.filter((exchange) => exchange.botName === "GPT-4o-Mini")).toHaveLength(2);
    // The example passes request.access_key, the key it is served with: its calls are what Poe accepts.
    expect(exchanges.filter((exchange) => exchange.botName === "GPT-4o-Mini")).toMatchObject([
      { caller: { kind: "bot", botName: "function-calling" } },
      { caller: { kind: "bot", botName: "function-calling" } },
    ]);
    expect(exchanges.flatMap((exchange) => exchange.violations)).toEqual([]);
    // JSON lines are written in batches of up to 10 ms: wait past one before looking.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(printed.filter((line) => /(query|settings) \/\S* \d{3} /.test(line))).toEqual([]);
  });

  it("registers running bot servers given with --bot", () => {
    expect(parseBotSpec("MyBot=http://127.0.0.1:8080/#abc")).toEqual({
      name: "MyBot",
      url: "http://127.0.0.1:8080/",
      accessKey: "abc",
    });
    expect(parseBotSpec("MyBot=http://127.0.0.1:8080/")).toEqual({
      name: "MyBot",
      url: "http://127.0.0.1:8080/",
      accessKey: null,
    });
    expect(() => parseBotSpec("just-a-url")).toThrow(UserError);
  });

  it("sends a bot given with --bot and no key a generated key, and prints it beside the bot", async () => {
    const strict = await startHeaderStrictBot();
    try {
      running = await sim(
        [],
        flags({ bot: [`Strict=${strict.url}`, `Keyed=${strict.url}#${"k".repeat(32)}`] }),
      );
      const bots = running.simulator.bots;
      const key = bots.find((bot) => bot.name === "Strict")?.generatedAccessKey as string;
      expect(key).toMatch(/^[0-9a-f]{32}$/);
      expect(bots.find((bot) => bot.name === "Strict")?.settingsError).toBeNull();
      expect(strict.requests.map((request) => request.authorization)).toContain(`Bearer ${key}`);
      const banner = simBanner(running, createColors(false)).split("\n");
      expect(banner.find((line) => line.includes("Strict"))).toContain(`(no key given; sent ${key})`);
      expect(banner.find((line) => line.includes("Keyed"))).not.toContain("sent");
      expect(banner.join("\n")).not.toContain("k".repeat(32));
      // Built-in bots are sent generated keys too, but they are not the user's to know.
      expect(banner.find((line) => line.includes("Echo"))).not.toContain("sent");
    } finally {
      await strict.close();
    }
  });

  it("explains a bad alias, a bad model and a bad flag as user errors", async () => {
    await expect(sim([], flags({ alias: ["GPT=Nobody"] }))).rejects.toThrow(/NAME=BUILTIN/);
    await expect(sim([], flags({ model: ["no-equals-sign"] }))).rejects.toThrow(/NAME=URL#MODEL|=/);
    await expect(sim([], flags({ fileTtl: "soon" }))).rejects.toThrow(UserError);
    // File URLs that expire as they are made would make every attachment fail.
    await expect(sim([], flags({ fileTtl: "0" }))).rejects.toThrow(
      /--file-ttl must be a whole number from 1/,
    );
    await expect(sim([], flags({ balance: "1e3" }))).rejects.toThrow(UserError);
  });
});
