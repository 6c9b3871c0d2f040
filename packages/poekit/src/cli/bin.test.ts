import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../cli/src/test-support/build-if-stale.js";
import { type RecordedCall, type RecordingPoe, startRecordingPoe } from "../test-support/recording-poe.js";
import {
  cleanEnv,
  freePort,
  occupy,
  postQuery,
  REPO_ROOT,
  runToExit,
  startBin,
  stop,
  waitForOutput,
  withTimeout,
} from "./test-support/bin-process.js";

// These tests run the real `poekit` bin (bin/poekit.js), which runs the compiled code in dist.
const root = REPO_ROOT;
const fixture = (name: string) =>
  path.relative(root, fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url)));
const startCli = (args: string[], env?: NodeJS.ProcessEnv) => startBin(args, env ? { env } : {});

const ACCESS_KEY = "0123456789abcdefghijklmnopqrstuv";

beforeAll(buildIfStale, 120_000);

describe("poekit serve", () => {
  const started = new Set<ChildProcess>();
  const serve = (args: string[], env?: NodeJS.ProcessEnv) => {
    const cli = startCli(["serve", ...args], env);
    started.add(cli.child);
    return cli;
  };

  afterEach(() => {
    for (const child of started) stop(child);
    started.clear();
  });

  it("serves a bot folder, answers a query, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const cli = serve(onLocalPort(port, "examples/echo", "--allow-without-key"));
    await waitForOutput(cli, new RegExp(`Serving EchoBot at http://127\\.0\\.0\\.1:${port}/ `));

    const { status, body } = await postQuery(`http://127.0.0.1:${port}/`);
    expect(status).toBe(200);
    expect(body).toMatch(/event: text\r?\ndata: \{"text":"hello there"\}/);
    expect(body).toMatch(/event: done\r?\ndata: \{\}\s*$/);

    cli.child.kill("SIGTERM");
    const finished = await withTimeout(cli.exited, 5_000, "poekit did not exit after SIGTERM");
    expect(finished.code).toBe(0);
    expect(finished.stderr).toBe("");
  });

  it("with --access-key, answers only requests that carry the key", async () => {
    const port = await freePort();
    const cli = serve(onLocalPort(port, "examples/echo", "--access-key", ACCESS_KEY));
    await waitForOutput(cli, /Serving EchoBot at .* \(access key required\)/);
    const url = `http://127.0.0.1:${port}/`;

    expect((await postQuery(url)).status).toBe(401);
    expect((await postQuery(url, { authorization: "Bearer abcdefghijklmnopqrstuv0123456789" })).status).toBe(
      401,
    );
    const allowed = await postQuery(url, { authorization: `Bearer ${ACCESS_KEY}` });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toContain('"hello there"');
    expect((await postQuery(url, { authorization: `bearer ${ACCESS_KEY}` })).status).toBe(200);
  });

  it("takes the port from PORT when --port is not given", async () => {
    const port = await freePort();
    const cli = serve(
      ["examples/echo", "--host", "127.0.0.1", "--allow-without-key"],
      cleanEnv({ PORT: String(port) }),
    );
    await waitForOutput(cli, new RegExp(`Serving EchoBot at http://127\\.0\\.0\\.1:${port}/ `));
    expect((await postQuery(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });

  it("serves several modules on one server, moving a bot on / to /<folder name>", async () => {
    const port = await freePort();
    const cli = serve(onLocalPort(port, "examples/echo", fixture("two-bots.mts"), "--allow-without-key"));
    await waitForOutput(cli, /\/second /);
    const base = `http://127.0.0.1:${port}`;
    expect(cli.stdout()).toContain(`Serving EchoBot at ${base}/echo `);
    expect(cli.stdout()).toContain(`Serving NamedBot at ${base}/first `);

    expect((await postQuery(`${base}/echo`)).body).toContain('"hello there"');
    expect((await postQuery(`${base}/first`)).body).toContain('"from the first bot"');
    expect((await postQuery(`${base}/second`)).body).toContain('"from the second bot"');
    expect((await postQuery(`${base}/`)).status).toBe(404);
  });

  it("with --workers 2, serves from two processes on one port and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const cli = serve(onLocalPort(port, fixture("pid-bot.mts"), "--allow-without-key", "--workers", "2"));
    await waitForOutput(cli, new RegExp(`Serving with 2 workers at http://127\\.0\\.0\\.1:${port}/ `));

    // Concurrent requests open several connections, which the primary hands to the workers in turn.
    const answers = await withTimeout(
      Promise.all(Array.from({ length: 20 }, () => postQuery(`http://127.0.0.1:${port}/`))),
      10_000,
      "the workers did not answer 20 queries within 10 s",
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const pids = new Set(answers.map((answer) => /"pid (\d+)"/.exec(answer.body)?.[1]));
    expect(pids.size).toBe(2);
    expect(pids).not.toContain(String(cli.child.pid));
    expect(cli.stdout().match(/Serving PidBot at /g)).toHaveLength(1);

    cli.child.kill("SIGTERM");
    const finished = await withTimeout(cli.exited, 10_000, "poekit did not exit after SIGTERM");
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/Stopped\.\n$/);
    expect(finished.stderr).toBe("");
  });
});

describe("poekit serve: settings sync at start-up", () => {
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

  it("sends the settings of a bot with a name and a key to Poe (POE_API_BASE_URL here)", async () => {
    const port = await freePort();
    const cli = startCli(
      ["serve", ...onLocalPort(port, fixture("synced-bot.mts"))],
      cleanEnv({ POE_API_BASE_URL: poeUrl }),
    );
    started.push(cli.child);
    await waitForOutput(cli, /Settings of SyncedBot synced to Poe/);
    expect(received).toEqual([
      {
        url: `/bot/update_settings/SyncedBot/${SYNCED_KEY}/1.2`,
        body: JSON.stringify({ introduction_message: "Hi from SyncedBot", response_version: 2 }),
      },
    ]);
    expect(cli.stdout() + cli.stderr()).not.toContain(SYNCED_KEY);
  });

  it("syncs a bot named with --bot-name and keyed with --access-key", async () => {
    const port = await freePort();
    const args = [
      "serve",
      ...onLocalPort(port, "examples/echo", "--access-key", ACCESS_KEY, "--bot-name", "Echo-Test"),
    ];
    const cli = startCli(args, cleanEnv({ POE_API_BASE_URL: poeUrl }));
    started.push(cli.child);
    await waitForOutput(cli, /Settings of Echo-Test synced to Poe/);
    expect(received.map((request) => request.url)).toEqual([
      `/bot/update_settings/Echo-Test/${ACCESS_KEY}/1.2`,
    ]);
  });

  it("sends nothing with --no-sync-settings", async () => {
    const port = await freePort();
    const args = ["serve", ...onLocalPort(port, fixture("synced-bot.mts"), "--no-sync-settings")];
    const cli = startCli(args, cleanEnv({ POE_API_BASE_URL: poeUrl }));
    started.push(cli.child);
    await waitForOutput(cli, /Serving SyncedBot at /);
    // The sync would start in the same tick as the server; give it ample time to show up.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toEqual([]);
    expect(cli.stdout()).not.toContain("synced");
  });
});

/** `poekit serve` arguments that listen on 127.0.0.1 at `port`. */
function onLocalPort(port: number, ...args: string[]): string[] {
  return [...args, "--port", String(port), "--host", "127.0.0.1"];
}

describe("poekit serve, user errors: one line on stderr, exit code 2", () => {
  let scratch = "";
  let blocker: Server | undefined;
  let busyPort = 0;

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), "poekit-cli-test-"));
    // Written here rather than kept as fixtures, so that neither tsc nor biome trips over them.
    writeFileSync(path.join(scratch, "broken.ts"), "const answer: number = ;\nexport default answer;\n");
    writeFileSync(path.join(scratch, "broken.mjs"), "export default new (;\n");
    busyPort = await freePort();
    blocker = await occupy(busyPort);
  });

  afterAll(async () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  });

  const cases: [string, () => string[], RegExp][] = [
    [
      "a module that does not exist",
      () => [fixture("missing.ts")],
      /missing\.ts does not exist; give a \.ts/,
    ],
    ["a folder without an index file", () => [fixture("")], /has no index\.ts.*give the bot's file/],
    ["a file poekit does not load", () => ["packages/poekit/package.json"], /is a \.json file/],
    [
      "a module without a default export",
      () => [fixture("no-default-export.mjs")],
      /has no default export \(it exports only greeting\); end it with `export default new MyBot\(\)`/,
    ],
    [
      "a module that default-exports a class",
      () => [fixture("exports-class.mts")],
      /default-exports the class GreeterBot, not a PoeBot instance; export an instance: `export default new GreeterBot\(\)`/,
    ],
    [
      "a module that throws on import",
      () => [fixture("throws-on-import.mjs")],
      /throws-on-import\.mjs failed to load: OPENAI_API_KEY is not set; run `node .*throws-on-import\.mjs` to see the stack\.$/,
    ],
    [
      "a TypeScript module with a syntax error",
      () => [path.join(scratch, "broken.ts")],
      /syntax error at .*broken\.ts:1:24: Expression expected; fix it and run again\.$/,
    ],
    [
      "a JavaScript module with a syntax error",
      () => [path.join(scratch, "broken.mjs")],
      /broken\.mjs failed to load: SyntaxError: .*; run `node .*broken\.mjs` to see where/,
    ],
    [
      "a port above 65535",
      () => ["examples/echo", "--port", "70000"],
      /--port must be a port number .* "70000"/,
    ],
    [
      "a port that is not a number",
      () => ["examples/echo", "--port", "abc"],
      /--port must be a port number .* "abc"/,
    ],
    [
      "a grace period that is not a number",
      () => ["examples/echo", "--grace", "soon"],
      /--grace must be a number/,
    ],
    [
      "an access key that is not 32 characters",
      () => ["examples/echo", "--access-key", "0123456789"],
      /10 characters long; Poe access keys are exactly 32 characters/,
    ],
    [
      "no access key and no --allow-without-key",
      () => ["examples/echo"],
      /has no access key\. .*POE_ACCESS_KEY.*--allow-without-key/,
    ],
    [
      "--access-key with several bots",
      () => ["examples/echo", fixture("two-bots.mts"), "--access-key", ACCESS_KEY],
      /--access-key is the key of a single bot, but 3 bots are being served/,
    ],
    [
      "--bot-name with several bots",
      () => ["examples/echo", fixture("two-bots.mts"), "--bot-name", "X", "--allow-without-key"],
      /--bot-name names a single bot, but 3 bots are being served/,
    ],
    [
      "a host that is not an address of this machine",
      () => ["examples/echo", "--host", "192.0.2.1", "--port", "0", "--allow-without-key"],
      /Cannot listen on host 192\.0\.2\.1: it is not an address of this machine/,
    ],
    [
      "a port in use",
      () => ["examples/echo", "--host", "127.0.0.1", "--port", String(busyPort), "--allow-without-key"],
      /already in use; choose another with --port or PORT/,
    ],
    ["--workers 0", () => ["examples/echo", "--workers", "0"], /--workers must be a whole number .* "0"/],
    [
      "--workers that is not a number",
      () => ["examples/echo", "--workers", "many"],
      /--workers must be a whole number of processes \(1 or more\) or auto .* "many"/,
    ],
    [
      "a module that throws on import, with --workers 2 (shown once)",
      () => [fixture("throws-on-import.mjs"), "--workers", "2", "--port", "0"],
      /throws-on-import\.mjs failed to load: OPENAI_API_KEY is not set/,
    ],
    [
      "a port in use, with --workers 2",
      () => [
        "examples/echo",
        ...["--host", "127.0.0.1", "--port", String(busyPort), "--allow-without-key", "--workers", "2"],
      ],
      /already in use; choose another with --port or PORT/,
    ],
  ];

  it.concurrent.each(cases)("%s", async (_name, args, message) => {
    const result = await runToExit(["serve", ...args()]);
    expect(result.code, result.stderr).toBe(2);
    const lines = result.stderr.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^poekit: error: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toContain("    at ");
    expect(result.stdout).toBe("");
  });
});

describe("poekit serve: configuration from the environment", () => {
  let project = "";
  const started: ChildProcess[] = [];
  const echo = path.join(root, "examples/echo");

  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), "poekit-env-test-"));
  });
  afterEach(() => {
    for (const child of started.splice(0)) stop(child);
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const serveIn = (cwd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()) => {
    const cli = startBin(["serve", echo, "--allow-without-key", ...args], { cwd, env });
    started.push(cli.child);
    return cli;
  };

  it("loads ./.env: PORT and HOST from it, a variable already set winning", async () => {
    const [fromFile, fromEnv] = [await freePort(), await freePort()];
    writeFileSync(path.join(project, ".env"), `# the bot's settings\nPORT=${fromFile}\nHOST=127.0.0.1\n`);
    const cli = serveIn(project, []);
    // HOST=127.0.0.1 rather than every interface, which run() would report as such.
    await waitForOutput(
      cli,
      new RegExp(`Serving EchoBot at http://127\\.0\\.0\\.1:${fromFile}/ \\(no access key`),
    );
    expect((await postQuery(`http://127.0.0.1:${fromFile}/`)).status).toBe(200);

    const overridden = serveIn(project, [], cleanEnv({ PORT: String(fromEnv) }));
    await waitForOutput(overridden, new RegExp(`Serving EchoBot at http://127\\.0\\.0\\.1:${fromEnv}/ `));
  });

  it("takes the file --dotenv names, and none with --no-dotenv", async () => {
    const port = await freePort();
    writeFileSync(path.join(project, ".env"), "PORT=1\n");
    writeFileSync(path.join(project, "prod.env"), `PORT=${port}\nHOST=127.0.0.1\n`);
    const named = serveIn(project, ["--dotenv", "prod.env"]);
    await waitForOutput(named, new RegExp(`Serving EchoBot at http://127\\.0\\.0\\.1:${port}/ `));

    const other = await freePort();
    const skipped = serveIn(
      project,
      ["--no-dotenv", "--host", "127.0.0.1"],
      cleanEnv({ PORT: String(other) }),
    );
    await waitForOutput(skipped, new RegExp(`Serving EchoBot at http://127\\.0\\.0\\.1:${other}/ `));
  });

  it.each([
    [
      "a malformed .env",
      { ".env": "PORT=8080\nthis is not a variable\n" },
      [],
      /^poekit: error: \.env:2: "this is not a variable" is not NAME=value; fix or remove the line, or pass --no-dotenv\.\n$/,
    ],
    [
      "a missing --dotenv",
      {},
      ["--dotenv", "nope.env"],
      /^poekit: error: cannot read the env file nope\.env: there is no such file\.\n$/,
    ],
  ])("refuses %s with one line, exit code 2", async (_name, files, args, message) => {
    const folder = mkdtempSync(path.join(tmpdir(), "poekit-env-bad-"));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
      const result = await runToExit(["serve", echo, "--allow-without-key", ...args], { cwd: folder });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe("");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("colours the word error as FORCE_COLOR and NO_COLOR say, even in a pipe", async () => {
    const args = ["serve", "examples/nope"];
    const forced = await runToExit(args, { env: cleanEnv({ FORCE_COLOR: "1", NO_COLOR: "1" }) });
    expect(forced.stderr.startsWith("poekit: \u001b[31merror\u001b[39m: examples/nope does not exist")).toBe(
      true,
    );
    const off = await runToExit(args, { env: cleanEnv({ FORCE_COLOR: "0" }) });
    expect(off.stderr).toMatch(/^poekit: error: /);
    const piped = await runToExit(args, { env: cleanEnv({ NO_COLOR: "" }) });
    expect(piped.stderr).toMatch(/^poekit: error: /);
  });
});

describe("poekit", () => {
  it("prints its version, its help listing every command with its package, and serve's help", async () => {
    const version = await runToExit(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    for (const args of [[], ["--help"]]) {
      const help = await runToExit(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Commands of poekit .*:\n {2}serve <module\.\.\.> +serve bots over HTTP/);
      expect(help.stdout).toMatch(/Commands of @poekit\/cli \(development; installed\):/);
      for (const command of ["dev", "sim", "chat", "check", "new", "sync-settings"]) {
        expect(help.stdout).toMatch(new RegExp(`\\n {2}${command} `));
      }
    }

    const serveHelp = await runToExit(["serve", "--help"]);
    expect(serveHelp.code).toBe(0);
    for (const flag of [
      "--port",
      "--host",
      "--access-key",
      "--allow-without-key",
      "--grace",
      "--workers",
      "--dotenv",
      "--no-dotenv",
      "Examples:",
    ]) {
      expect(serveHelp.stdout).toContain(flag);
    }
  });

  it("hands the other commands to @poekit/cli, which this repository has installed", async () => {
    const help = await runToExit(["dev", "--help"]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("Usage: poekit dev [options] <module>");
    expect(help.stdout).toContain("--poll");
  });

  it.concurrent.each([
    [
      "an unknown option",
      ["serve", "examples/echo", "--prot", "8080"],
      /unknown option '--prot' \(Did you mean --port\?\)/,
    ],
    ["a missing module argument", ["serve"], /missing required argument 'module'/],
    ["a value missing", ["serve", "examples/echo", "--port"], /option '-p, --port <port>' argument missing/],
    [
      "a value given to a switch",
      ["serve", "examples/echo", "--allow-without-key=yes"],
      /option '--allow-without-key' takes no value/,
    ],
  ])("reports %s on one line, exit code 2", async (_name, args, message) => {
    const result = await runToExit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^poekit: error: [^\n]+\n$/);
    expect(result.stderr).toMatch(message);
  });
});
