// The SDK as a user gets it: packed by npm, installed alone with --omit=dev (as a deployed bot is) in
// a project outside the repository, and a TypeScript bot served by `npx poekit serve`, on each Node
// line the project tests on that is on this machine. Slow-ish (npm pack and an install, about 20 s).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../cli/src/test-support/build-if-stale.js";
import { freePort, postQuery, REPO_ROOT, withTimeout } from "./test-support/bin-process.js";

const BOT = `import { PoeBot, type QueryRequest } from "poekit";

class HelloBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    const said: string = request.query.at(-1)?.content ?? "";
    yield \`You said: \${said}\`;
  }
}

export default new HelloBot();
`;

/** This node, and the other Node lines that with-node.mjs (POEKIT_NODE=22|26) has brought already. */
const RUNTIMES = path.join(REPO_ROOT, "node_modules/.cache/poekit/node");
const NODES = [
  process.execPath,
  ...(existsSync(RUNTIMES) ? readdirSync(RUNTIMES) : [])
    .map((version) => path.join(RUNTIMES, version, "bin/node"))
    .filter((node) => existsSync(node) && node !== process.execPath),
];

let root = "";
let project = "";
const running = new Set<ChildProcess>();

beforeAll(() => {
  buildIfStale();
  root = mkdtempSync(path.join(tmpdir(), "poekit-packed-"));
  const npm = (args: string[], cwd: string) =>
    execFileSync("npm", args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 100_000 });
  npm(
    ["pack", path.join(REPO_ROOT, "packages/poekit"), "--pack-destination", root, "--ignore-scripts"],
    root,
  );
  const tarball = readdirSync(root).find((name) => name.endsWith(".tgz")) ?? "";
  project = path.join(root, "bot");
  mkdirSync(project);
  writeFileSync(
    path.join(project, "package.json"),
    '{ "name": "packed-bot", "private": true, "type": "module" }\n',
  );
  writeFileSync(path.join(project, "bot.ts"), BOT);
  npm(
    ["install", path.join(root, tarball), "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"],
    project,
  );
}, 120_000);

afterAll(() => {
  for (const child of running) killGroup(child, "SIGKILL");
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("poekit, packed and installed alone", () => {
  it("installs the SDK and its runtime dependencies, none of the development tools", () => {
    const installed = readdirSync(path.join(project, "node_modules"));
    expect(installed).toContain("poekit");
    for (const tool of ["@poekit", "commander", "tsx", "esbuild", "better-sqlite3", "unpdf"]) {
      expect(installed).not.toContain(tool);
    }
  });

  it.each(NODES)("serves a TypeScript bot with npx poekit serve, on %s", async (node) => {
    const port = await freePort();
    const serve = npx(node, [
      "poekit",
      "serve",
      "bot.ts",
      "--allow-without-key",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
    ]);
    try {
      await withTimeout(
        serve.output(/Serving HelloBot at http:\/\/127\.0\.0\.1:\d+\//),
        20_000,
        "no Serving line",
      );
      const { status, body } = await postQuery(`http://127.0.0.1:${port}/`);
      expect(status).toBe(200);
      expect(body).toContain('"You said: hello there"');
      expect(body).toMatch(/event: done/);
    } finally {
      killGroup(serve.child, "SIGTERM");
      await withTimeout(serve.exited, 10_000, "npx poekit serve did not stop");
    }
    // Nothing on stderr: no warning about type stripping, nor anything else.
    expect(serve.stderr()).toBe("");
  });

  it("says in one line what to install for npx poekit dev, exit code 2", async () => {
    const dev = npx(process.execPath, ["poekit", "dev", "bot.ts"]);
    const code = await withTimeout(dev.exited, 20_000, "npx poekit dev did not exit");
    expect(code).toBe(2);
    expect(dev.stderr()).toBe(
      "poekit: error: poekit dev comes with @poekit/cli, which is not installed here; install it with `npm install -D @poekit/cli`.\n",
    );
  });
});

/** Runs `npx <args>` in the project with `node` first on PATH, in a process group of its own. */
function npx(node: string, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  for (const name of ["PORT", "HOST", "POE_ACCESS_KEY", "FORCE_COLOR"]) delete env[name];
  const child = spawn("npx", ["--no-install", ...args], {
    cwd: project,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const output = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(stdout)) resolve();
      };
      child.stdout?.on("data", check);
      exited.then(() => reject(new Error(`exited before ${pattern}:\n${stdout}${stderr}`)));
      check();
    });
  return { child, exited, output, stderr: () => stderr };
}

/** npx starts node under it: signal the whole group, so that the server goes too. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Gone already.
  }
}
