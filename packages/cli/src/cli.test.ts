import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  cleanEnv,
  freePort,
  REPO_ROOT,
  runToExit,
  startBin,
  stop,
  waitForOutput,
  withTimeout,
} from "../../poekit/src/cli/test-support/bin-process.js";
import {
  type RecordedCall,
  type RecordingPoe,
  startRecordingPoe,
} from "../../poekit/src/test-support/recording-poe.js";
import { buildIfStale } from "./test-support/build-if-stale.js";

// These tests run the real `poekit` bin, poekit's (packages/poekit/bin/poekit.js), which hands these
// commands to this package, as `npx poekit <command>` does in a project; and this package's own bin.
const root = REPO_ROOT;
const fixture = (name: string) =>
  path.relative(root, fileURLToPath(new URL(`../../poekit/src/cli/test-fixtures/${name}`, import.meta.url)));
const startCli = (args: string[], env?: NodeJS.ProcessEnv) => startBin(args, env ? { env } : {});
const CLI_BIN = path.join(REPO_ROOT, "packages/cli/bin/poekit-cli.js");

beforeAll(buildIfStale, 120_000);

describe("poekit sync-settings", () => {
  const SYNCED_KEY = `${"n".repeat(16)}0123456789abcdef`;
  let recorder: RecordingPoe;
  let poeUrl: string;
  const received: RecordedCall[] = [];
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    recorder = await startRecordingPoe(received);
    poeUrl = recorder.url;
  });
  afterEach(() => {
    for (const child of started) stop(child);
    started.length = 0;
    received.length = 0;
  });
  afterAll(() => recorder.close());

  it("poekit sync-settings sends a module's settings, prints the answer and exits 0", async () => {
    const cli = startCli(
      ["sync-settings", "SyncedBot", "--module", fixture("synced-bot.mts"), "--access-key", SYNCED_KEY],
      cleanEnv({ POE_API_BASE_URL: poeUrl }),
    );
    started.push(cli.child);
    const finished = await withTimeout(cli.exited, 15_000, "poekit sync-settings did not exit");
    expect(finished.code, finished.stderr).toBe(0);
    expect(received.map((request) => request.url)).toEqual([
      `/bot/update_settings/SyncedBot/${SYNCED_KEY}/1.2`,
    ]);
    expect(finished.stdout).toContain('"introduction_message": "Hi from SyncedBot"');
    expect(finished.stdout).toContain("answered HTTP 200");
    expect(finished.stdout + finished.stderr).not.toContain(SYNCED_KEY);
  });
});

describe("poekit sim", () => {
  it("starts the simulator with a bot module, answers on its API, and exits 0 on SIGINT", async () => {
    const port = await freePort();
    const cli = startCli(["sim", "examples/echo", "--port", String(port), "--db", ":memory:"]);
    try {
      await waitForOutput(cli, new RegExp(`poekit simulator.* on http://127\\.0\\.0\\.1:${port}`));
      expect(cli.stdout()).toMatch(/echo\s+http:\/\/127\.0\.0\.1:\d+\/echo/);
      const state = (await (await fetch(`http://127.0.0.1:${port}/api/state`)).json()) as {
        bots: { name: string }[];
      };
      expect(state.bots.map((bot) => bot.name)).toEqual(
        expect.arrayContaining(["Echo", "ScriptedLLM", "echo"]),
      );
      cli.child.kill("SIGINT");
      const finished = await withTimeout(cli.exited, 10_000, "poekit sim did not exit after SIGINT");
      expect(finished.code).toBe(0);
    } finally {
      stop(cli.child);
    }
  });

  it("loads ./.env first, and refuses a malformed one with one line naming the line, exit code 2", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "poekit-sim-env-"));
    try {
      writeFileSync(path.join(folder, ".env"), "POEKIT_MODEL_API_KEY=k\nnot a variable\n");
      const finished = await runToExit(["sim", "--port", "0", "--db", ":memory:"], { cwd: folder });
      expect(finished.code).toBe(2);
      expect(finished.stderr).toBe(
        'poekit: error: .env:2: "not a variable" is not NAME=value; fix or remove the line, or pass --no-dotenv.\n',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("refuses a malformed --bot with one line and exit code 2", async () => {
    const finished = await runToExit(["sim", "--bot", "no-url-here", "--port", "0", "--db", ":memory:"]);
    expect(finished.code).toBe(2);
    expect(finished.stderr).toMatch(/^poekit: error: --bot "no-url-here" is not NAME=URL/);
  });
});

describe("poekit new", () => {
  it("creates a project from a template and exits 0; refuses a folder that is not empty with exit code 2", async () => {
    const parent = mkdtempSync(path.join(tmpdir(), "poekit-new-"));
    try {
      const target = path.join(parent, "my-bot");
      const created = await runToExit(["new", target, "--template", "echo"]);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain(`Created ${target} from the echo template`);
      const manifest = JSON.parse(readFileSync(path.join(target, "package.json"), "utf8")) as {
        name: string;
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      expect(manifest.name).toBe("my-bot");
      expect(Object.keys(manifest.dependencies)).toEqual(["poekit"]);
      expect(Object.keys(manifest.devDependencies)).toContain("@poekit/cli");
      expect(readFileSync(path.join(target, "index.test.ts"), "utf8")).toContain("poekit/testing");

      const again = await runToExit(["new", target]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/^poekit: error: .*my-bot/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe("poekit-cli, this package's own bin", () => {
  it("prints its version and help, which lists serve too, exit code 0", async () => {
    const version = await runToExit(["--version"], { bin: CLI_BIN });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runToExit(["--help"], { bin: CLI_BIN });
    expect(help.code).toBe(0);
    for (const command of ["serve", "dev", "sim", "chat", "check", "new", "sync-settings"]) {
      expect(help.stdout).toMatch(new RegExp(`\\n {2}${command} `));
    }
  });

  it("hands serve to poekit's bin, with its command line", async () => {
    const port = await freePort();
    const cli = startBin(
      ["serve", "examples/echo", "--allow-without-key", "--port", String(port), "--host", "127.0.0.1"],
      { bin: CLI_BIN },
    );
    try {
      await waitForOutput(cli, new RegExp(`Serving EchoBot at http://127\\.0\\.0\\.1:${port}/ `));
    } finally {
      stop(cli.child);
    }
  });

  it.concurrent.each([
    ["an unknown command", ["srve", "examples/echo"], /unknown command 'srve'\n\(Did you mean serve\?\)/],
    ["an unknown option", ["dev", "bot.ts", "--pol"], /unknown option '--pol'/],
  ])("reports %s with commander's message, exit code 2", async (_name, args, message) => {
    const result = await runToExit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^poekit: error: /);
    expect(result.stderr).toMatch(message);
  });
});
