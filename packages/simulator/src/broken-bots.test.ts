import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawSseServer } from "../../poekit/src/test-support/raw-sse-server.js";
import { builtinInProcessBots } from "./bots/in-process-bots.js";
import type { ConversationRecord, ExchangeRecord, MessageRecord, ViolationRule } from "./model.js";
import { type RunningSimulator, startSimulator } from "./start.js";
import { startBrokenBots } from "./test-support/broken-bots.js";

let bots: RawSseServer;
let sim: RunningSimulator;

beforeAll(async () => {
  bots = await startBrokenBots();
  // Poe's 600 s limit lowered (above the 5 s first-byte limit) so that the bot that never ends is cut
  // off within the test.
  sim = await startSimulator({
    port: 0,
    db: ":memory:",
    inProcessBots: builtinInProcessBots(),
    limits: { totalMs: 5_500 },
  });
});

afterAll(async () => {
  await sim?.close();
  await bots?.close();
});

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as T;
}

/** Registers the broken bot `path`, sends it one message, and returns its exchange and message. */
async function ask(path: string): Promise<{ exchange: ExchangeRecord; message: MessageRecord }> {
  const name = `Broken-${path}`;
  await post("/api/bots", { name, url: `${bots.baseUrl}${path}` });
  const conversation = await post<ConversationRecord>("/api/conversations", { botName: name });
  const sent = await post<{ botMessages: MessageRecord[] }>(
    `/api/conversations/${conversation.id}/messages`,
    {
      text: "hello",
    },
  );
  await sim.simulator.context.tasks.idle();
  const id = sent.botMessages[0]?.id as string;
  const { exchanges } = (await (await fetch(`${sim.url}/api/messages/${id}/exchanges`)).json()) as {
    exchanges: ExchangeRecord[];
  };
  const message = sim.simulator.context.store.messages.get(id) as MessageRecord;
  return { exchange: exchanges[0] as ExchangeRecord, message };
}

const cases: [string, ViolationRule][] = [
  ["no-done", "missing-done"],
  ["late-meta", "meta-not-first"],
  ["invalid-json", "invalid-json"],
  ["too-many-events", "too-many-events"],
  ["silent", "first-byte-timeout"],
  ["garbage", "missing-done"],
  ["never-ends", "total-timeout"],
  ["closes-mid-event", "connection-failed"],
  ["events-after-done", "event-after-done"],
  ["unknown-event", "unknown-event"],
  ["server-error", "http-status"],
  ["wrong-content-type", "content-type"],
  ["no-text", "no-text-or-error"],
];

describe("a deliberately broken bot", () => {
  it.each(cases)(
    "%s: the inspector shows %s and the bot gets report_error",
    { timeout: 30_000 },
    async (path, rule) => {
      const { exchange, message } = await ask(path);
      expect(exchange.violations.map((violation) => violation.rule)).toContain(rule);
      await sim.simulator.context.tasks.idle();
      const reports = bots.reports.filter((report) => report.path === `/${path}`);
      expect(reports.length).toBeGreaterThan(0);
      expect(reports.map((report) => (report.body.metadata as { rule: string }).rule)).toContain(rule);
      // Rules Poe tolerates (or only flags) leave the answer standing; the others end it as an error.
      if (!["meta-not-first", "unknown-event", "event-after-done", "too-many-events"].includes(rule)) {
        expect(message.status).toBe("error");
      }
    },
  );

  it("leaves the simulator serving", async () => {
    const response = await fetch(`${sim.url}/api/state`);
    expect(response.status).toBe(200);
  });
});
