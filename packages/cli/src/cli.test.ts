import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "./test-support/build-if-stale.js";

// These tests run the real `poekit` binary, which runs the compiled code in dist.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const bin = path.join(root, "packages/cli/bin/poekit.js");
const fixture = (name: string) =>
  path.relative(root, fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url)));

const ACCESS_KEY = "0123456789abcdefghijklmnopqrstuv";
const QUERY = {
  version: "1.2",
  type: "query",
  query: [{ role: "user", content: "hello there" }],
  user_id: "u-1",
  conversation_id: "c-1",
  message_id: "m-1",
};

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Cli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Finished>;
}

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
  let recorder: http.Server;
  let poeUrl: string;
  const received: Array<{ url: string; body: string }> = [];
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    recorder = http.createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push({ url: request.url ?? "", body });
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
    poeUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}/`;
  });
  afterEach(() => {
    for (const child of started) stop(child);
    started.length = 0;
    received.length = 0;
  });
  afterAll(() => new Promise<void>((resolve) => recorder.close(() => resolve())));

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

  it("refuses a malformed --bot with one line and exit code 2", async () => {
    const finished = await runToExit(["sim", "--bot", "no-url-here", "--port", "0", "--db", ":memory:"]);
    expect(finished.code).toBe(2);
    expect(finished.stderr).toMatch(/^poekit: error: --bot "no-url-here" is not NAME=URL/);
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
    ["a file poekit does not load", () => ["packages/cli/package.json"], /is a \.json file/],
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
      /syntax error at .*broken\.ts:1:\d+: Unexpected ";"/,
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

describe("poekit", () => {
  it("prints its version and help, exit code 0", async () => {
    const version = await runToExit(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    const help = await runToExit(["serve", "--help"]);
    expect(help.code).toBe(0);
    for (const flag of [
      "--port",
      "--host",
      "--access-key",
      "--allow-without-key",
      "--grace",
      "--workers",
      "Examples:",
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it.concurrent.each([
    ["an unknown option", ["serve", "examples/echo", "--prot", "8080"], /unknown option '--prot'/],
    ["an unknown command", ["srve", "examples/echo"], /unknown command 'srve'/],
    ["a missing module argument", ["serve"], /missing required argument 'module'/],
  ])("reports %s with commander's message, exit code 2", async (_name, args, message) => {
    const result = await runToExit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^poekit: error: /);
    expect(result.stderr).toMatch(message);
  });
});

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!("PORT" in extra)) delete env.PORT;
  delete env.POE_ACCESS_KEY;
  return env;
}

function startCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Cli {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Finished>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs the binary to its end; it is killed if it is still running after 15 s. */
async function runToExit(args: string[]): Promise<Finished> {
  const cli = startCli(args);
  try {
    return await withTimeout(cli.exited, 15_000, `poekit ${args.join(" ")} did not exit`);
  } finally {
    stop(cli.child);
  }
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

function waitForOutput(cli: Cli, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cli.child.stdout?.off("data", check);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (pattern.test(cli.stdout())) finish();
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `No ${pattern} in poekit's output within ${timeoutMs} ms:\n${cli.stdout()}${cli.stderr()}`,
          ),
        ),
      timeoutMs,
    );
    cli.child.stdout?.on("data", check);
    cli.exited.then(({ code }) =>
      finish(
        new Error(`poekit exited (${code}) before printing ${pattern}:\n${cli.stdout()}${cli.stderr()}`),
      ),
    );
    check();
  });
}

async function postQuery(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(QUERY),
  });
  return { status: response.status, body: await response.text() };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function listening(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("no TCP address"));
      else resolve(address.port);
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listening(server, 0);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await listening(server, port);
  return server;
}
