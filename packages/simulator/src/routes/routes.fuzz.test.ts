import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { PoeBot, type QueryRequest } from "poekit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fuzzRuns, fuzzTimeout } from "../../../poekit/src/test-support/fuzz-inputs.js";
import { builtinInProcessBots } from "../bots/in-process-bots.js";
import type { ConversationRecord, MessageRecord } from "../model.js";
import { type RunningSimulator, startSimulator } from "../start.js";
import { type KnownIds, routeRequest, toRouteRequest } from "../test-support/route-fuzz-inputs.js";
import { serveBot } from "../test-support/test-context.js";

const RUNS = fuzzRuns(2_000);
const KEY = `${"f".repeat(16)}0123456789abcdef`;

class OkBot extends PoeBot {
  override async *getResponse(_request: QueryRequest) {
    yield "ok";
  }
  override async getSettings() {
    return { allow_attachments: true };
  }
}

let sim: RunningSimulator;
let bot: { url: string; close(): Promise<void> };
let pageDir: string;
let ids: KnownIds;

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await sim.simulator.fetch(
    new Request(`${sim.url}${url}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as T;
}

beforeAll(async () => {
  pageDir = mkdtempSync(path.join(tmpdir(), "poekit-fuzz-page-"));
  mkdirSync(path.join(pageDir, "assets"));
  writeFileSync(path.join(pageDir, "index.html"), "<!doctype html><title>page</title>");
  writeFileSync(path.join(pageDir, "assets", "app.js"), "console.log(1)");
  bot = await serveBot(new OkBot({ accessKey: KEY }));
  sim = await startSimulator({
    port: 0,
    db: ":memory:",
    pageDir,
    inProcessBots: builtinInProcessBots(),
    bots: [{ name: "Fuzzed", url: bot.url, accessKey: KEY }],
  });
  const conversation = await api<ConversationRecord>("POST", "/api/conversations", { botName: "Fuzzed" });
  const sent = await api<{ botMessages: MessageRecord[] }>(
    "POST",
    `/api/conversations/${conversation.id}/messages`,
    {
      text: "hello",
    },
  );
  await sim.simulator.context.tasks.idle();
  const messageId = sent.botMessages[0]?.id ?? "";
  const exchange = sim.simulator.context.store.exchanges.listForMessage(messageId)[0];
  const file = sim.simulator.context.store.files.put({
    name: "a.txt",
    contentType: "text/plain",
    data: new TextEncoder().encode("hi"),
  });
  ids = {
    conversationId: conversation.id,
    messageId,
    botName: "Fuzzed",
    accessKey: KEY,
    botQueryId: String((exchange?.request as { bot_query_id?: unknown })?.bot_query_id),
    fileId: file.id,
    fileQuery: sim.simulator.context.fileUrls.pathFor(file).replace(/^[^?]*/, ""),
  };
});

afterAll(async () => {
  await sim?.close();
  await bot?.close();
  rmSync(pageDir, { recursive: true, force: true });
});

describe("the simulator's endpoints under generated bad input", () => {
  it(`answer ${RUNS} generated requests with 2xx or 4xx and a JSON detail, never 5xx, and keep serving`, {
    timeout: fuzzTimeout(RUNS, 15),
  }, async () => {
    const logged = vi.spyOn(console, "error");
    const tally = new Map<string, Set<number>>();
    await fc.assert(
      fc.asyncProperty(routeRequest(ids), async (generated) => {
        const response = await sim.simulator.fetch(toRouteRequest(generated, sim.url));
        const seen = tally.get(generated.route) ?? new Set<number>();
        seen.add(response.status);
        tally.set(generated.route, seen);
        const where = `${generated.method} ${generated.path.slice(0, 200)} → ${response.status}`;
        expect(response.status, where).toBeLessThan(500);
        const type = response.headers.get("content-type") ?? "";
        if (type.startsWith("text/event-stream") && generated.path === "/api/events") {
          // The page's update stream never ends by itself.
          await response.body?.cancel();
          return;
        }
        const text = await response.text();
        // HEAD gets the headers of a GET's answer, without its body.
        if (response.status < 400 || generated.method === "HEAD") return;
        if (type.startsWith("text/event-stream")) {
          // Poe's cost API refuses with an event stream, and the client reads its `message`.
          expect(generated.route, where).toBe("/bot/cost/:id/:action");
          expect(text, where).toMatch(/^event: error\r\ndata: \{"message":"/);
        } else {
          expect(type, where).toMatch(/^application\/json/);
          expect(JSON.parse(text), where).toEqual(expect.objectContaining({ detail: expect.any(String) }));
        }
      }),
      { numRuns: RUNS },
    );
    await sim.simulator.context.tasks.idle();
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();

    // Still serving: the state, and a conversation with an answer.
    const state = await api<{ bots: unknown[] }>("GET", "/api/state");
    expect(state.bots.length).toBeGreaterThan(0);
    const conversation = await api<ConversationRecord>("POST", "/api/conversations", { botName: "Echo" });
    const sent = await api<{ botMessages: MessageRecord[] }>(
      "POST",
      `/api/conversations/${conversation.id}/messages`,
      { text: "still there?" },
    );
    await sim.simulator.context.tasks.idle();
    const { messages } = await api<{ messages: MessageRecord[] }>(
      "GET",
      `/api/conversations/${conversation.id}`,
    );
    expect(messages.find((message) => message.id === sent.botMessages[0]?.id)?.status).toBe("complete");
    console.info(
      `simulator fuzz: ${RUNS} requests over ${tally.size} routes; statuses per route ${JSON.stringify(
        Object.fromEntries([...tally].map(([route, statuses]) => [route, [...statuses].sort()])),
      )}`,
    );
  });
});
