import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningSimulator, startSimulator } from "@poekit/simulator";
import { type RunningServer, run } from "poekit/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBotModule } from "../poekit-bin.js";
import { UserError } from "../user-error.js";
import { type SyncSettingsIO, syncSettingsCommand } from "./sync-settings-action.js";

const fixtures = fileURLToPath(new URL("../../../poekit/src/cli/test-fixtures/", import.meta.url));
const KEY = `${"n".repeat(16)}0123456789abcdef`;

function collector() {
  let text = "";
  return { stream: { write: (chunk: string) => (text += chunk) }, text: () => text };
}

function io(env: Record<string, string | undefined> = {}) {
  const stdout = collector();
  const stderr = collector();
  const value: SyncSettingsIO = { stdout: stdout.stream, stderr: stderr.stream, env, cwd: fixtures };
  return { io: value, stdout: stdout.text, stderr: stderr.text };
}

describe("poekit sync-settings against the simulator", () => {
  let simulator: RunningSimulator;
  let bot: RunningServer;
  let tmp: string;

  beforeAll(async () => {
    const { bots } = await loadBotModule("synced-bot.mts", fixtures);
    bot = await run(bots, {
      port: 0,
      host: "127.0.0.1",
      handleSignals: false,
      syncSettings: false,
      argv: [],
    });
    simulator = await startSimulator({
      port: 0,
      db: ":memory:",
      bots: [{ name: "SyncedBot", url: bot.url, accessKey: KEY }],
    });
    tmp = mkdtempSync(path.join(tmpdir(), "poekit-sync-"));
  });
  afterAll(async () => {
    await simulator?.close();
    await bot?.close(0);
    rmSync(tmp, { recursive: true, force: true });
  });

  const env = () => ({ POE_API_BASE_URL: simulator.url, POE_ACCESS_KEY: KEY });
  const stored = () => simulator.simulator.context.registry.get("SyncedBot")?.settings.raw;

  it("sends a module's settings and prints what was sent and what came back", async () => {
    const run = io(env());
    const code = await syncSettingsCommand("SyncedBot", { module: "synced-bot.mts" }, run.io);
    expect(code).toBe(0);
    expect(run.stdout()).toContain(
      `Sending the settings of SyncedBot to ${simulator.url}/bot/ (POE_API_BASE_URL)`,
    );
    expect(run.stdout()).toContain('"introduction_message": "Hi from SyncedBot"');
    expect(run.stdout()).toContain("answered HTTP 200");
    expect(run.stdout()).toContain('"status": "ok"');
    expect(stored()).toMatchObject({ introduction_message: "Hi from SyncedBot" });
    expect(run.stdout() + run.stderr()).not.toContain(KEY);
  });

  it("sends the settings of a JSON file", async () => {
    const file = path.join(tmp, "settings.json");
    writeFileSync(file, JSON.stringify({ introduction_message: "From a file", allow_attachments: true }));
    const run = io(env());
    expect(await syncSettingsCommand("SyncedBot", { settings: file }, run.io)).toBe(0);
    expect(stored()).toMatchObject({ introduction_message: "From a file", allow_attachments: true });
  });

  it("asks for a fetch from the bot server when given neither", async () => {
    const run = io(env());
    expect(await syncSettingsCommand("SyncedBot", {}, run.io)).toBe(0);
    expect(run.stdout()).toContain("to fetch the settings of SyncedBot from its bot server");
    expect(stored()).toMatchObject({ introduction_message: "Hi from SyncedBot" });
  });

  it("fails with exit code 1 and one clear line for a wrong key, never printing it", async () => {
    const wrong = "w".repeat(32);
    const run = io({ POE_API_BASE_URL: simulator.url });
    const code = await syncSettingsCommand(
      "SyncedBot",
      { module: "synced-bot.mts", accessKey: wrong },
      run.io,
    );
    expect(code).toBe(1);
    expect(run.stderr()).toMatch(/^poekit: error: Could not send the settings of bot SyncedBot: HTTP 401/);
    expect(run.stderr()).toContain("(the access key was refused)");
    expect(run.stderr().trim().split("\n")).toHaveLength(1);
    expect(run.stdout() + run.stderr()).not.toContain(wrong);
  });

  it("fails with exit code 1 for a bot the server does not know", async () => {
    const run = io(env());
    expect(await syncSettingsCommand("NoSuchBot", { settings: undefined }, run.io)).toBe(1);
    expect(run.stderr()).toContain("HTTP 404");
    expect(run.stderr()).toContain("knows no bot by that name");
  });

  it("fails with exit code 1 when the server cannot be reached", async () => {
    const run = io({ POE_API_BASE_URL: "http://127.0.0.1:9/", POE_ACCESS_KEY: KEY });
    expect(await syncSettingsCommand("SyncedBot", { module: "synced-bot.mts" }, run.io)).toBe(1);
    expect(run.stderr()).toMatch(/^poekit: error: Could not reach Poe to sync the settings of bot SyncedBot/);
  });

  it("refuses invalid settings before sending anything (a usage error)", async () => {
    const file = path.join(tmp, "bad.json");
    writeFileSync(file, JSON.stringify({ allow_attachments: "yes" }));
    const before = stored();
    await expect(syncSettingsCommand("SyncedBot", { settings: file }, io(env()).io)).rejects.toThrow(
      /settings of bot SyncedBot are invalid, so nothing was sent.*allow_attachments/,
    );
    expect(stored()).toEqual(before);
  });
});

describe("poekit sync-settings mistakes", () => {
  const call = (
    flags: Parameters<typeof syncSettingsCommand>[1],
    env: Record<string, string> = { POE_ACCESS_KEY: KEY },
  ) => syncSettingsCommand("SyncedBot", flags, io(env).io);

  it("needs a key", async () => {
    await expect(call({ module: "synced-bot.mts" }, {})).rejects.toThrow(
      new UserError(
        "No access key: pass --access-key <key> or set POE_ACCESS_KEY (the key is on the bot's settings page on Poe).",
      ),
    );
  });

  it("takes --module or --settings, not both", async () => {
    await expect(call({ module: "a.ts", settings: "b.json" })).rejects.toThrow(
      "either --module or --settings",
    );
  });

  it("says what is wrong with a settings file", async () => {
    await expect(call({ settings: "missing.json" })).rejects.toThrow(
      "--settings missing.json does not exist.",
    );
    const dir = mkdtempSync(path.join(tmpdir(), "poekit-sync-"));
    try {
      writeFileSync(path.join(dir, "x.json"), "{nope");
      await expect(call({ settings: path.join(dir, "x.json") })).rejects.toThrow(/is not valid JSON/);
      writeFileSync(path.join(dir, "y.json"), "[1]");
      await expect(call({ settings: path.join(dir, "y.json") })).rejects.toThrow(/must hold a JSON object/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a bad timeout", async () => {
    await expect(call({ settings: "x.json", timeout: "soon" })).rejects.toThrow(
      '--timeout must be a positive number of seconds, got "soon".',
    );
  });

  it("picks the named bot of a module with several, or says which there are", async () => {
    await expect(call({ module: "two-bots.mts" })).rejects.toThrow(
      /exports 2 bots .* none is named SyncedBot/,
    );
  });
});
