import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationRecord, MessageRecord } from "../model.js";
import { openDatabase } from "./database.js";
import { openStore, type Store } from "./store.js";

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) if (store.db.isOpen) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(file = ":memory:"): Store {
  const store = openStore(file);
  stores.push(store);
  return store;
}

function databaseFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "poekit-store-"));
  dirs.push(dir);
  return path.join(dir, "nested", "simulator.db");
}

const conversation: ConversationRecord = {
  id: "c-1",
  title: "Chat with Echo",
  botName: "Echo",
  contextId: "ctx-1",
  userId: "u-1",
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_001,
};

function message(id: string, content: string): MessageRecord {
  return {
    id,
    conversationId: conversation.id,
    contextId: conversation.contextId,
    role: "user",
    botName: null,
    content,
    contentType: "text/markdown",
    status: "complete",
    attachments: [],
    parameters: {},
    suggestedReplies: [],
    metadata: null,
    error: null,
    feedback: [],
    reactions: [],
    replyTo: null,
    createdAt: 1_700_000_000_002,
  };
}

/** Reads one pragma's value. */
function pragma(store: Store, name: string): unknown {
  return Object.values(store.db.prepare(`PRAGMA ${name}`).get() ?? {})[0];
}

describe("the store", () => {
  it("keeps a conversation in its file across a close and a reopen", () => {
    const file = databaseFile();
    const first = open(file);
    first.conversations.save(conversation);
    first.messages.save(message("m-1", "hello"));
    first.messages.save(message("m-2", "again"));
    first.kv.set("balance", "100");
    first.close();

    const again = open(file);
    expect(again.conversations.get(conversation.id)).toEqual(conversation);
    expect(again.conversations.list()).toEqual([conversation]);
    expect(again.messages.listByConversation(conversation.id).map((each) => each.content)).toEqual([
      "hello",
      "again",
    ]);
    expect(again.kv.get("balance")).toBe("100");
  });

  it("opens a file in WAL mode with the settings the crash safety relies on, schema up to date", () => {
    const store = open(databaseFile());
    expect(pragma(store, "journal_mode")).toBe("wal");
    expect(pragma(store, "synchronous")).toBe(1); // NORMAL
    expect(pragma(store, "foreign_keys")).toBe(1);
    expect(pragma(store, "busy_timeout")).toBe(5000);
    expect(pragma(store, "user_version")).toBe(1);
  });

  it("refuses a file written by a newer schema", () => {
    const file = databaseFile();
    const store = open(file);
    store.db.exec("PRAGMA user_version = 99");
    store.close();
    expect(() => openDatabase(file)).toThrow("written by a newer poekit (schema 99");
  });

  it("gives back rows as plain values: numbers, nulls, and the bytes of a file", () => {
    const store = open();
    const bot = store.bots.upsert({ name: "Echo", kind: "url", url: "http://127.0.0.1:1", accessKey: null });
    expect(bot).toEqual({
      name: "Echo",
      kind: "url",
      url: "http://127.0.0.1:1",
      accessKey: null,
      settings: {},
      settingsUpdatedAt: null,
      settingsError: null,
      createdAt: expect.any(Number),
    });
    store.bots.setSettings("Echo", { allow_attachments: true });
    expect(typeof store.bots.get("Echo")?.settingsUpdatedAt).toBe("number");
    expect(store.bots.delete("Echo")).toBe(true);
    expect(store.bots.delete("Echo")).toBe(false);

    // A view into a larger buffer: only its own bytes are stored.
    const bytes = new Uint8Array([0, 1, 2, 255, 9]).subarray(1, 4);
    const file = store.files.put({ name: "a.bin", contentType: "application/octet-stream", data: bytes });
    expect(store.files.get(file.id)).toEqual({ ...file, size: 3 });
    expect([...(store.files.data(file.id) ?? [])]).toEqual([1, 2, 255]);
    expect(store.files.data("missing")).toBeUndefined();
    // What an empty upload's arrayBuffer() gives: no memory behind it, which Node 22 would bind as NULL.
    const empty = store.files.put({
      name: "e",
      contentType: "text/plain",
      data: new Uint8Array(new ArrayBuffer(0)),
    });
    expect(store.files.data(empty.id)).toEqual(new Uint8Array(0));

    store.conversations.save(conversation);
    store.messages.save({ ...message("m-1", "…"), role: "bot", status: "streaming" });
    const failed = store.messages.failUnfinished({
      text: "cut",
      allowRetry: true,
      errorType: null,
      rawResponse: null,
    });
    expect(failed).toBe(1);
    expect(store.messages.get("m-1")).toMatchObject({ status: "error", error: { text: "cut" } });
  });
});
