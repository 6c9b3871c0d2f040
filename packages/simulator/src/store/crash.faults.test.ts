import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationRecord, MessageRecord } from "../model.js";
import { type SimulatorProcess, startSimulatorProcess } from "../test-support/simulator-process.js";
import { openStore } from "./store.js";

const dirs: string[] = [];
const processes: SimulatorProcess[] = [];
afterEach(async () => {
  for (const sim of processes.splice(0)) {
    sim.child.kill("SIGKILL");
    await sim.exited;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(db: string): Promise<SimulatorProcess> {
  const sim = await startSimulatorProcess(db);
  processes.push(sim);
  return sim;
}

type Conversation = { conversation: ConversationRecord; messages: MessageRecord[] };

/** Sends `text` and waits until the simulator has stored the bot's answer as complete or failed. */
async function converse(sim: SimulatorProcess, conversationId: string, text: string): Promise<MessageRecord> {
  const sent = await sim.api<{ botMessages: MessageRecord[] }>(
    "POST",
    `/api/conversations/${conversationId}/messages`,
    { text },
  );
  const id = sent.botMessages[0]?.id as string;
  for (;;) {
    const { messages } = await sim.api<Conversation>("GET", `/api/conversations/${conversationId}`);
    const answer = messages.find((message) => message.id === id);
    if (answer && (answer.status === "complete" || answer.status === "error")) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The fields of a message that must survive a crash unchanged (file URLs are signed afresh on each read). */
function lasting(message: MessageRecord) {
  const { attachments: _attachments, ...rest } = message;
  return rest;
}

describe("the simulator killed with kill -9 during a conversation", () => {
  it("keeps every message that was completed, intact, and a consistent database", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "poekit-crash-"));
    dirs.push(dir);
    const db = path.join(dir, "simulator.db");
    const sim = await start(db);
    // The database is open once the banner is out: Node 22's warning that SQLite is experimental is not.
    expect(sim.output()).not.toContain("SQLite is an experimental feature");

    // Three conversations at once, each a few turns, every answer awaited until the simulator stored it.
    const completed: MessageRecord[] = [];
    const conversations: ConversationRecord[] = [];
    for (let c = 0; c < 3; c++) {
      conversations.push(
        await sim.api<ConversationRecord>("POST", "/api/conversations", { botName: "ScriptedLLM" }),
      );
    }
    await Promise.all(
      conversations.map(async (conversation, c) => {
        for (let turn = 0; turn < 4; turn++) {
          const answer = await converse(sim, conversation.id, `conversation ${c}, turn ${turn}`);
          expect(answer.status).toBe("complete");
          completed.push(answer);
        }
      }),
    );
    const before = new Map<string, MessageRecord[]>();
    for (const conversation of conversations) {
      const { messages } = await sim.api<Conversation>("GET", `/api/conversations/${conversation.id}`);
      before.set(conversation.id, messages);
    }

    // A long answer, streaming when the process dies.
    const first = conversations[0] as ConversationRecord;
    const sent = await sim.api<{ botMessages: MessageRecord[] }>(
      "POST",
      `/api/conversations/${first.id}/messages`,
      {
        text: "/slow 300 a long answer that is still streaming when the simulator is killed",
      },
    );
    const longId = sent.botMessages[0]?.id as string;
    for (;;) {
      const { messages } = await sim.api<Conversation>("GET", `/api/conversations/${first.id}`);
      if (messages.find((message) => message.id === longId)?.status === "streaming") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    sim.child.kill("SIGKILL");
    expect(await sim.exited).toBe("SIGKILL");

    // The file as the killed process left it (WAL included): sound, every completed message as it was.
    const store = openStore(db);
    try {
      expect(store.db.prepare("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
      expect(store.db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
      for (const message of completed) {
        const stored = store.messages.get(message.id);
        expect(stored?.status).toBe("complete");
        expect(stored && lasting(stored)).toEqual(lasting(message));
      }
      for (const conversation of conversations) {
        const positions = store.db
          .prepare("SELECT position FROM messages WHERE conversation_id = ? ORDER BY position")
          .all(conversation.id) as { position: number }[];
        expect(positions.map((row) => row.position)).toEqual(positions.map((_, index) => index + 1));
      }
    } finally {
      store.close();
    }

    // Started again on the same file: the history is there, the cut answer is not left streaming
    // forever, and the conversation goes on.
    const again = await start(db);
    for (const conversation of conversations) {
      const { messages } = await again.api<Conversation>("GET", `/api/conversations/${conversation.id}`);
      const earlier = before.get(conversation.id) ?? [];
      expect(messages.slice(0, earlier.length).map(lasting)).toEqual(earlier.map(lasting));
    }
    const { messages } = await again.api<Conversation>("GET", `/api/conversations/${first.id}`);
    const cut = messages.find((message) => message.id === longId);
    expect(cut?.status).toBe("error");
    expect(cut?.error).toMatchObject({ allowRetry: true });
    const { exchanges } = await again.api<{ exchanges: Array<{ status: string }> }>(
      "GET",
      `/api/messages/${longId}/exchanges`,
    );
    expect(exchanges.map((exchange) => exchange.status)).toEqual(["failed"]);
    const next = await converse(again, first.id, "still there?");
    expect(next.status).toBe("complete");
    expect(next.content).toContain("still there?");
  }, 60_000);
});
