import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer, type Server } from "node:net";
import path from "node:path";
import type { SimulatorState, StaleBot } from "@poekit/simulator";
import { decodeSseStream } from "poekit/protocol";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, REPO_ROOT } from "../test-support/build-if-stale.js";
import { UserError } from "../user-error.js";
import type { DevFlags } from "./dev-action.js";
import { type DevOptions, dev, type RunningDev } from "./dev-action.js";

// The bot runs in a process of its own, from the compiled CLI.
beforeAll(buildIfStale, 120_000);

// Under the repository's ignored .poekit/ folder, so that the projects' `import "poekit"` (and their
// TypeScript) resolve from the repository's node_modules.
const PROJECTS = path.join(REPO_ROOT, ".poekit", "dev-tests");

const projects: string[] = [];
const sessions: RunningDev[] = [];
const spawned: ChildProcess[] = [];
/** Bot processes seen, killed after each test should one outlive poekit dev (the failure tested for). */
const botPids: number[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  for (const child of spawned.splice(0)) child.kill("SIGKILL");
  for (const pid of botPids.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  for (const project of projects.splice(0)) rmSync(project, { recursive: true, force: true });
});

function makeProject(files: Record<string, string>): string {
  mkdirSync(PROJECTS, { recursive: true });
  const project = mkdtempSync(path.join(PROJECTS, "project-"));
  projects.push(project);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(project, name), text);
  return project;
}

/** A bot whose `getResponse` body is `body`, in a module that imports poekit like a user's would. */
function botSource(body: string, extra = ""): string {
  return `import { PoeBot, type QueryRequest, type SettingsResponse } from "poekit";
class TestBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    const text = request.query.at(-1)?.content ?? "";
    ${body}
  }
  ${extra}
}
export default new TestBot();
`;
}

interface Output {
  text: string;
  write(chunk: string): void;
}

function collector(): Output {
  return {
    text: "",
    write(chunk) {
      this.text += chunk;
    },
  };
}

interface Session {
  running: RunningDev;
  stdout: Output;
  stderr: Output;
}

async function startDev(project: string, flags: Partial<DevFlags> = {}): Promise<Session> {
  const stdout = collector();
  const stderr = collector();
  const options: DevOptions = {
    cwd: project,
    env: { ...process.env, NO_COLOR: "1" },
    stdout,
    stderr,
    debounceMs: 50,
    graceMs: 10_000,
    closeGraceMs: 200,
  };
  const running = await dev(
    "bot.ts",
    { port: "0", simPort: "0", db: ":memory:", model: [], alias: [], ...flags },
    options,
  );
  sessions.push(running);
  return { running, stdout, stderr };
}

function query(text: string) {
  return {
    version: "1.2",
    type: "query",
    query: [{ role: "user", content: text }],
    user_id: "u-dev",
    conversation_id: "c-dev",
    message_id: `m-${Math.random().toString(36).slice(2)}`,
  };
}

/** Sends a query through the proxy, with the key the bot got, and yields its events as they arrive. */
async function* stream(running: RunningDev, text: string): AsyncGenerator<{ event: string; data: string }> {
  const key = running.bot?.bots[0]?.accessKey;
  const response = await fetch(`${running.proxyUrl}/`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(query(text)),
  });
  expect(response.status).toBe(200);
  yield* decodeSseStream(response.body as ReadableStream<Uint8Array>);
}

/** The text of the bot's answer to `text`. */
async function answer(running: RunningDev, text = "hello"): Promise<string> {
  let answered = "";
  for await (const { event, data } of stream(running, text)) {
    if (event === "text") answered += (JSON.parse(data) as { text: string }).text;
  }
  return answered;
}

function save(project: string, source: string): void {
  writeFileSync(path.join(project, "bot.ts"), source);
}

/** The bots the simulator's API reports not answering with their saved code, as the chat page reads them. */
async function staleBots(running: RunningDev): Promise<StaleBot[]> {
  return (await getJson<SimulatorState>(`${running.simulator.url}/api/state`)).staleBots;
}

describe("poekit dev", () => {
  it("serves the bot behind the proxy, prints the chat URL, and reloads on save", async () => {
    const project = makeProject({ "bot.ts": botSource(`yield "first version";`) });
    const { running, stdout } = await startDev(project);

    expect(await answer(running)).toBe("first version");
    const { url } = running.simulator;
    expect(stdout.text).toContain(`poekit dev: chat with bot at ${url}/#/c/`);
    // The printed key is the one the bot requires: curl and poekit check use it.
    const key = running.bot?.bots[0]?.accessKey;
    expect(key).toMatch(/^\w{32}$/);
    expect(stdout.text).toContain(
      `bot on ${running.proxyUrl}/ with access key ${key}, reloads on save (Ctrl-C stops)`,
    );
    const withoutKey = await fetch(`${running.proxyUrl}/`, {
      method: "POST",
      body: JSON.stringify(query("hi")),
    });
    expect(withoutKey.status).toBe(401);
    // The repository's tsconfig.json lists no files of the project: one notice, and no checking.
    expect(stdout.text).toContain("type checking is off: no tsconfig.json includes bot.ts.");
    const firstPid = running.bot?.pid;

    save(project, botSource(`yield "second version";`));
    await expect.poll(() => answer(running), { timeout: 15_000 }).toBe("second version");
    expect(running.bot?.pid).not.toBe(firstPid);
    await expect.poll(() => stdout.text).toMatch(/poekit dev: bot\.ts changed: reloaded in \d+ ms\n/);
  }, 30_000);

  it("lets a stream in flight during a reload finish on the old code, with its done event", async () => {
    const project = makeProject({
      "bot.ts": botSource(`
    if (text !== "slow") { yield "old quick"; return; }
    yield "started on the old code";
    const { existsSync } = await import("node:fs");
    while (!existsSync(new URL("./release.txt", import.meta.url))) await new Promise((r) => setTimeout(r, 20));
    yield ", finished on the old code";`),
    });
    const { running } = await startDev(project);
    const slow = stream(running, "slow");
    const first = await slow.next();
    // The proxy passes each event on as it comes, not when the response ends.
    expect(first.value).toEqual({ event: "text", data: '{"text":"started on the old code"}' });

    save(project, botSource(`yield "new code";`));
    await expect.poll(() => answer(running), { timeout: 15_000 }).toBe("new code");
    writeFileSync(path.join(project, "release.txt"), "go");
    const rest: Array<{ event: string; data: string }> = [];
    for await (const event of slow) rest.push(event);
    expect(rest).toEqual([
      { event: "text", data: '{"text":", finished on the old code"}' },
      { event: "done", data: "{}" },
    ]);
  }, 30_000);

  it("keeps the old code serving after a save that does not load, and recovers at the next good save", async () => {
    const project = makeProject({ "bot.ts": botSource(`yield "good";`) });
    const { running, stderr, stdout } = await startDev(project);
    expect(await answer(running)).toBe("good");

    save(project, botSource(`yield "broken" +;`));
    await expect
      .poll(() => stderr.text, { timeout: 15_000 })
      .toMatch(
        /poekit dev: error: syntax error at bot\.ts:5:\d+: .*\(still serving the previous version\)\n/,
      );
    expect(await answer(running)).toBe("good");
    const [stale] = await staleBots(running);
    expect(stale).toMatchObject({ botName: "bot", reason: "load-failed", details: [] });
    expect(stale?.summary).toMatch(/^syntax error at bot\.ts:5:\d+: /);
    expect(stale?.servingSince).toBeLessThanOrEqual(stale?.at as number);

    save(project, `export default 42;\n`);
    await expect
      .poll(() => stderr.text, { timeout: 15_000 })
      .toContain("bot.ts default-exports a number (42), not a PoeBot instance");
    expect(await answer(running)).toBe("good");

    await expect
      .poll(async () => (await staleBots(running))[0]?.summary)
      .toContain("bot.ts default-exports a number (42)");

    save(project, botSource(`yield "fixed";`));
    await expect.poll(() => answer(running), { timeout: 15_000 }).toBe("fixed");
    expect(stdout.text).toMatch(/bot\.ts changed: reloaded in \d+ ms/);
    expect(await staleBots(running)).toEqual([]);
  }, 30_000);

  it("starts from the first save that loads when the module does not load at start", async () => {
    const project = makeProject({ "bot.ts": botSource(`yield "not yet" +;`) });
    const { running, stdout, stderr } = await startDev(project);
    expect(running.bot).toBeNull();
    expect(stderr.text).toMatch(/syntax error at bot\.ts:5:\d+: .*\(nothing is served until it loads\)\n/);
    expect(stdout.text).toContain(
      `the simulator is on ${running.simulator.url}; watching ., the bot starts at the first save that loads`,
    );
    const early = await fetch(`${running.proxyUrl}/`, { method: "POST", body: "{}" });
    expect(early.status).toBe(503);
    expect(((await early.json()) as { detail: string }).detail).toContain("bot.ts has not loaded yet");

    save(project, botSource(`yield "loaded";`));
    await expect.poll(() => stdout.text, { timeout: 15_000 }).toContain("poekit dev: chat with bot at ");
    expect(await answer(running)).toBe("loaded");
  }, 30_000);

  it("says so when the bot's process dies, and starts it again at the next save", async () => {
    const project = makeProject({
      "bot.ts": botSource(`if (text === "exit") process.exit(3);\n    yield "alive";`),
    });
    const { running, stderr } = await startDev(project);
    expect(await answer(running)).toBe("alive");
    await expect(answer(running, "exit")).rejects.toThrow();
    await expect
      .poll(() => stderr.text)
      .toContain("poekit dev: error: the bot's process exited with code 3; save a file to start it again.");
    expect((await fetch(`${running.proxyUrl}/`, { method: "POST", body: "{}" })).status).toBe(503);
    expect(await staleBots(running)).toMatchObject([
      {
        botName: "bot",
        reason: "exited",
        summary: "the bot's process exited with code 3",
        servingSince: null,
      },
    ]);

    save(project, botSource(`yield "alive again";`));
    await expect.poll(() => answer(running), { timeout: 15_000 }).toBe("alive again");
    expect(await staleBots(running)).toEqual([]);
  }, 30_000);

  it("shows a type error and keeps the old code serving until the types are fixed", async () => {
    const project = makeProject({
      "bot.ts": botSource(`yield "typed";`),
      // A test the bot does not import is left to npm test: its error does not hold the bot back.
      "bot.test.ts": `import { TestBot } from "./bot.js";\nexport const stale: number = "old";\n`,
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          // Without the DOM's types, which would take TypeScript seconds to load.
          lib: ["ES2023"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ["*.ts"],
      }),
    });
    const { running, stderr, stdout } = await startDev(project);
    expect(stdout.text).not.toContain("type checking is off");
    expect(await answer(running)).toBe("typed");

    save(project, botSource(`const count: number = "three";\n    yield \`untyped \${count}\`;`));
    await expect
      .poll(() => stderr.text, { timeout: 15_000 })
      .toContain("poekit dev: error: 1 type error, so not reloaded: still serving the previous version");
    const diagnostic = "bot.ts:5:11 - error TS2322: Type 'string' is not assignable to type 'number'.";
    expect(stderr.text).toContain(diagnostic);
    expect(await answer(running)).toBe("typed");
    // The chat page says so too, on the conversations with the bot.
    const [stale] = await staleBots(running);
    expect(stale).toMatchObject({
      botName: "bot",
      reason: "type-errors",
      summary: "1 type error in bot.ts",
      details: [diagnostic],
    });
    expect(stale?.servingSince).toBeLessThanOrEqual(stale?.at as number);

    save(project, botSource(`const count: number = 3;\n    yield \`typed \${count}\`;`));
    await expect.poll(() => answer(running), { timeout: 15_000 }).toBe("typed 3");
    expect(stdout.text).toMatch(/bot\.ts changed: types OK, reloaded in \d+ ms/);
    expect(await staleBots(running)).toEqual([]);
  }, 40_000);

  it("points the bot's POE_API_BASE_URL at the simulator, where it calls other bots", async () => {
    const project = makeProject({
      "bot.ts": botSource(
        `yield \`base \${process.env.POE_API_BASE_URL}; \`;
    const { streamRequest } = await import("poekit");
    for await (const part of streamRequest(request, "Echo", request.access_key)) yield part;`,
        `override async getSettings(): Promise<SettingsResponse> {
    return { server_bot_dependencies: { Echo: 1 } };
  }`,
      ),
    });
    const { running } = await startDev(project);
    const { url, simulator } = running.simulator;

    // As the chat page does: a conversation with the bot, a message, and the bot's answer stored.
    const conversation = await postJson<{ id: string }>(`${url}/api/conversations`, { botName: "bot" });
    const sent = await postJson<{ botMessages: Array<{ id: string }> }>(
      `${url}/api/conversations/${conversation.id}/messages`,
      { text: "echo this" },
    );
    await simulator.context.tasks.idle();
    const message = simulator.context.store.messages.get(sent.botMessages[0]?.id as string);
    expect(message?.status).toBe("complete");
    expect(message?.content).toBe(`base ${url}; echo this`);
  }, 30_000);

  it("says what is wrong with the module, a flag or a port before serving anything", async () => {
    const empty = makeProject({});
    const flags: DevFlags = { port: "0", simPort: "0", db: ":memory:", model: [], alias: [] };
    await expect(dev("bot.ts", flags, { cwd: empty })).rejects.toThrow(UserError);
    await expect(dev("bot.ts", flags, { cwd: empty })).rejects.toThrow(/bot\.ts does not exist/);
    await expect(dev("bot.ts", { ...flags, simPort: "seventy" }, { cwd: empty })).rejects.toThrow(
      /--sim-port/,
    );

    const project = makeProject({ "bot.ts": botSource(`yield "never";`) });
    const busy = await listenOnFreePort();
    try {
      await expect(dev("bot.ts", { ...flags, simPort: String(busy.port) }, { cwd: project })).rejects.toThrow(
        `Port ${busy.port} is in use, so the simulator cannot listen on it; choose another with --sim-port (0 picks a free one).`,
      );
      await expect(dev("bot.ts", { ...flags, port: String(busy.port) }, { cwd: project })).rejects.toThrow(
        `Port ${busy.port} is in use; choose another with --port (0 picks a free one).`,
      );
    } finally {
      busy.server.close();
    }
  });
});

describe("poekit dev (the built binary)", () => {
  /** Runs `poekit dev` on a bot that answers with its process id, and returns that id once it answered. */
  async function startBinary() {
    // The bot's process has the variables of the project's .env, which poekit dev loads.
    const project = makeProject({
      "bot.ts": botSource(`yield \`pid \${process.pid} \${process.env.POEKIT_DEV_GREETING}\`;`),
      ".env": "POEKIT_DEV_GREETING=hello-from-dotenv\n",
    });
    const bin = path.join(REPO_ROOT, "packages/poekit/bin/poekit.js");
    const child = spawn(
      process.execPath,
      [bin, "dev", "bot.ts", "--port", "0", "--sim-port", "0", "--db", ":memory:"],
      { cwd: project, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    spawned.push(child);
    const output = { stdout: "", stderr: "" };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output.stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output.stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    await expect.poll(() => output.stdout, { timeout: 15_000 }).toMatch(/chat with bot at /);
    const match =
      /poekit dev: chat with bot at (http:\/\/127\.0\.0\.1:\d+)\/#\/c\/(\S+) — bot on http:\/\/127\.0\.0\.1:\d+\/ with access key \w{32}, reloads on save \(Ctrl-C stops\)\n/.exec(
        output.stdout,
      );
    expect(match, output.stdout).not.toBeNull();
    // The printed address is a conversation with the bot: send a message in it, as the page would.
    const [, simulatorUrl, conversationId] = match as RegExpExecArray;
    const conversationUrl = `${simulatorUrl}/api/conversations/${conversationId}`;
    await postJson(`${conversationUrl}/messages`, { text: "which process?" });
    const reply = async () => {
      const { messages } = await getJson<{
        messages: Array<{ role: string; status: string; content: string }>;
      }>(conversationUrl);
      return messages.find((message) => message.role === "bot" && message.status === "complete")?.content;
    };
    await expect.poll(reply, { timeout: 10_000 }).toMatch(/^pid \d+ hello-from-dotenv$/);
    const botPid = Number((await reply())?.split(" ")[1]);
    botPids.push(botPid);
    expect(botPid).not.toBe(child.pid);
    expect(isAlive(botPid)).toBe(true);
    return { child, output, exited, botPid };
  }

  it("prints the chat URL, chats through it, and stops with no process left on Ctrl-C", async () => {
    const { child, output, exited, botPid } = await startBinary();
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output.stderr).toBe("");
    await expect.poll(() => isAlive(botPid), { timeout: 2_000 }).toBe(false);
  }, 40_000);

  it("takes the bot's process with it when it is killed", async () => {
    const { child, botPid } = await startBinary();
    child.kill("SIGKILL");
    await expect.poll(() => isAlive(botPid), { timeout: 5_000 }).toBe(false);
  }, 40_000);
});

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
