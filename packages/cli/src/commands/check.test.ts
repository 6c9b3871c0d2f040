import { spawn } from "node:child_process";
import path from "node:path";
import { PoeBot, type QueryRequest, silentLogger } from "poekit";
import { type RunningServer, run } from "poekit/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckReport } from "../check/check-result.js";
import {
  BROKEN_BOTS,
  type BrokenBot,
  FIXTURE_KEY,
  serveBrokenBot,
} from "../check/test-support/broken-bots.js";
import { main } from "../main.js";
import { buildIfStale, REPO_ROOT } from "../test-support/build-if-stale.js";
import { UserError } from "../user-error.js";
import type { CheckFlags } from "./check-action.js";
import { runCheck } from "./check-action.js";

const fixture = (start: string): BrokenBot => {
  const found = BROKEN_BOTS.find((bot) => bot.name.startsWith(start));
  if (!found) throw new Error(`No fixture "${start}".`);
  return found;
};

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the handler with collected output; `isTTY` makes stdout look like a terminal. */
async function check(
  url: string,
  flags: CheckFlags,
  options: { env?: Record<string, string | undefined>; isTTY?: boolean } = {},
): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const code = await runCheck(url, flags, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** A served fixture for the whole file, closed at the end. */
function served(start: string): () => string {
  let server: Awaited<ReturnType<typeof serveBrokenBot>> | undefined;
  beforeAll(async () => {
    server = await serveBrokenBot(fixture(start));
  });
  afterAll(() => server?.close());
  return () => {
    if (!server) throw new Error("The fixture is not served yet.");
    return server.url;
  };
}

/** The start of an ANSI colour sequence. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

describe("poekit check: the report", () => {
  const conforming = served("conforming");
  const noDone = served("sends no done");

  it("prints one line per check under its group, and a summary; exit code 0 when nothing fails", async () => {
    const { code, stdout, stderr } = await check(conforming(), { accessKey: FIXTURE_KEY });
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^poekit check http:\/\/127\.0\.0\.1:\d+\/ \(access key ••••lmno\)/);
    expect(stdout).toMatch(/\nQuery\n/);
    expect(stdout).toMatch(/ {2}✔ pass {2}query-done +The response ended with one done event/);
    expect(stdout).toMatch(/ {2}- skip {2}keep-alive +The bot never paused for 15 s/);
    expect(stdout).toMatch(/\n31 checks in \d+\.\d s: 30 passed, 0 warnings, 0 failed, 1 skipped\n$/);
    // Not a terminal: no colour, and passing checks get no details.
    expect(stdout).not.toMatch(ANSI);
    expect(stdout).not.toContain("request   POST");
  });

  it("shows the request, the answer and the rule under a failure; exit code 1", async () => {
    const { code, stdout } = await check(noDone(), { accessKey: FIXTURE_KEY });
    expect(code).toBe(1);
    expect(stdout).toMatch(/ {2}✖ fail {2}query-done +The response ended without a "done" event/);
    expect(stdout).toMatch(/request {3}POST http:\/\/127\.0\.0\.1:\d+\//);
    expect(stdout).toContain("authorization: Bearer ••••lmno");
    expect(stdout).toMatch(/response {2}200 text\/event-stream/);
    expect(stdout).toMatch(/\+\d+ ms {2}text: \{"text":"Hello\."\}/);
    expect(stdout).toContain("(docs/protocol.md Part A, Server side: done; docs/protocol.md §1.8)");
    expect(stdout).toMatch(/1 failed/);
  });

  it("prints one JSON document with --json, and nothing else on stdout", async () => {
    const { code, stdout, stderr } = await check(noDone(), { accessKey: FIXTURE_KEY, json: true });
    expect(code).toBe(1);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout) as CheckReport;
    expect(report).toMatchObject({
      tool: "poekit check",
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      url: noDone(),
      accessKey: "••••lmno",
      ok: false,
      // The robustness and compatibility checks are skipped: they meet the same missing done.
      counts: { pass: 22, warn: 0, fail: 1, skip: 8 },
    });
    expect(new Date(report.startedAt).toISOString()).toBe(report.startedAt);
    expect(report.durationMs).toBeGreaterThan(0);
    expect(report.checks).toHaveLength(31);
    expect(report.checks.find((result) => result.id === "query-done")).toMatchObject({
      group: "query",
      title: "exactly one done, last",
      status: "fail",
      message: expect.stringContaining('without a "done" event'),
      rule: expect.stringContaining("exactly one done event"),
      section: expect.stringContaining("§1.8"),
      request: {
        method: "POST",
        headers: { authorization: "Bearer ••••lmno", accept: "text/event-stream" },
        body: expect.stringContaining('"type":"query"'),
      },
      response: {
        status: 200,
        contentType: expect.stringContaining("text/event-stream"),
        events: [expect.objectContaining({ event: "meta" }), expect.objectContaining({ event: "text" })],
      },
    });
  });

  it("colours the report only on a terminal, and never with NO_COLOR", async () => {
    const flags = { accessKey: FIXTURE_KEY, only: ["query-done"] };
    expect((await check(conforming(), flags, { isTTY: true })).stdout).toMatch(ANSI);
    expect((await check(conforming(), flags, { isTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toMatch(
      ANSI,
    );
  });

  it("runs only the checks and groups --only names, repeated or comma-separated", async () => {
    const { code, stdout } = await check(conforming(), {
      accessKey: FIXTURE_KEY,
      json: true,
      only: ["query-done", "auth-missing,settings"],
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CheckReport;
    expect(report.checks.map((result) => result.id)).toEqual([
      "settings-json",
      "settings-schema",
      "auth-missing",
      "query-done",
    ]);
  });

  it("lowers the time a query may take with --timeout", async () => {
    const never = await serveBrokenBot(fixture("never finishes"));
    try {
      const { code, stdout } = await check(never.url, {
        accessKey: FIXTURE_KEY,
        only: ["query-total-time"],
        timeout: "0.5",
      });
      expect(code).toBe(1);
      expect(stdout).toMatch(
        /✖ fail {2}query-total-time +The response was not complete \(no "done" event\) within 500 ms/,
      );
    } finally {
      await never.close();
    }
  });
});

describe("poekit check: the access key", () => {
  const conforming = served("conforming");

  it("takes the key from POE_ACCESS_KEY and never prints it, even where the bot echoes it", async () => {
    const echoing = await serveBrokenBot({
      name: "echoes the Authorization header",
      handle: (incoming, next) =>
        (incoming.json as { type?: string } | undefined)?.type === "settings"
          ? Response.json({
              introduction_message: `You sent ${incoming.request.headers.get("authorization")}`,
            })
          : next(),
      fails: [],
      warns: [],
    });
    try {
      for (const json of [false, true]) {
        const { code, stdout, stderr } = await check(
          echoing.url,
          { json },
          { env: { POE_ACCESS_KEY: FIXTURE_KEY } },
        );
        expect(code).toBe(0);
        expect(stdout + stderr).not.toContain(FIXTURE_KEY);
        expect(stdout).toContain("••••lmno");
      }
      const { stdout } = await check(echoing.url, { json: true }, { env: { POE_ACCESS_KEY: FIXTURE_KEY } });
      const report = JSON.parse(stdout) as CheckReport;
      expect(report.checks.find((result) => result.id === "settings-json")?.response?.body).toBe(
        '{"introduction_message":"You sent Bearer ••••lmno"}',
      );
    } finally {
      await echoing.close();
    }
  });

  it("stops at once, with one line, when every request is refused for want of a key", async () => {
    await expect(check(conforming(), {})).rejects.toThrow(
      new UserError(
        `The bot at ${conforming()} answered 401 to every request: it needs its access key. Pass --access-key <key> or set POE_ACCESS_KEY.`,
      ),
    );
    await expect(check(conforming(), { accessKey: "w".repeat(32) })).rejects.toThrow(
      /refused the access key given \(HTTP 401 to every request\); check --access-key/,
    );
  });

  it("without a key, warns that a bot without one can be called by anybody and skips the rest of the matrix", async () => {
    class OpenBot extends PoeBot {
      override async *getResponse(request: QueryRequest) {
        yield request.query.at(-1)?.content ?? "";
      }
    }
    const open: RunningServer = await run(new OpenBot(), {
      port: 0,
      host: "127.0.0.1",
      allowWithoutKey: true,
      handleSignals: false,
      syncSettings: false,
      argv: [],
      logger: silentLogger,
    });
    try {
      const { code, stdout } = await check(`${open.url}/`, { json: true });
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as CheckReport;
      expect(report.accessKey).toBeNull();
      const statuses = Object.fromEntries(
        report.checks.filter((result) => result.group === "auth").map((result) => [result.id, result.status]),
      );
      expect(statuses).toEqual({
        "auth-missing": "warn",
        "auth-wrong-key": "skip",
        "auth-wrong-scheme": "skip",
        "auth-lowercase-scheme": "skip",
        "auth-right-key": "skip",
      });
      expect(report.checks.find((result) => result.id === "auth-missing")?.message).toMatch(
        /anyone who finds its URL can call it/,
      );
      expect(report.counts).toEqual({ pass: 25, warn: 1, fail: 0, skip: 5 });
    } finally {
      await open.close(0);
    }
  });
});

describe("poekit check: usage and unreachable bots", () => {
  it("refuses a URL that is not http(s), an unknown --only name and a bad --timeout as usage errors", async () => {
    await expect(check("ftp://example.com/", {})).rejects.toThrow(/is not an http or https URL/);
    await expect(check("not a url", {})).rejects.toThrow(UserError);
    await expect(check("http://127.0.0.1:9/", { only: ["query-done,nope"] })).rejects.toThrow(
      /--only "nope" is not a check; give check ids \(get-page, .*\) or groups \(page, settings, .*\)/,
    );
    await expect(check("http://127.0.0.1:9/", { timeout: "soon" })).rejects.toThrow(/--timeout must be/);
    // Through the program, a usage error is exit code 2.
    expect(await main(["check", "http://127.0.0.1:9/", "--only", "nope"])).toBe(2);
  });

  it("says in one line that a bot cannot be reached, exit code 1; --json still prints a document", async () => {
    const unreachable = "http://127.0.0.1:9/";
    const human = await check(unreachable, {});
    expect(human.code).toBe(1);
    expect(human.stdout).toBe("");
    expect(human.stderr).toMatch(
      /^poekit: error: Could not reach http:\/\/127\.0\.0\.1:9\/ \(.+\)\. Is the bot running/,
    );
    const json = await check(unreachable, { json: true });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Could not reach/),
      checks: [],
    });
  });
});

describe("poekit check: the binary", () => {
  const conforming = served("conforming");
  beforeAll(buildIfStale, 120_000);

  it("checks a bot and exits 0, printing only JSON on stdout with --json", async () => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, "packages/poekit/bin/poekit.js"), "check", conforming(), "--json"],
      { cwd: REPO_ROOT, env: { ...process.env, POE_ACCESS_KEY: FIXTURE_KEY, NO_COLOR: "1" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const report = JSON.parse(stdout) as CheckReport;
    expect(report).toMatchObject({ ok: true, url: conforming(), counts: { fail: 0, warn: 0 } });
    expect(stdout).not.toContain(FIXTURE_KEY);
  });
});
