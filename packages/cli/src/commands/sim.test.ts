import type { ConversationRecord, MessageRecord } from "@poekit/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../user-error.js";
import type { SimFlags } from "./sim.js";
import { parseBotSpec, type RunningSim, sim } from "./sim-action.js";

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
