import type { ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../cli/src/test-support/build-if-stale.js";
import { isPoeBot } from "../server/bot-brand.js";
import { makeApp } from "../server/make-app.js";
import type { PoeBot } from "../server/poe-bot.js";
import {
  cleanEnv,
  freePort,
  postQuery,
  REPO_ROOT,
  startBin,
  stop,
  waitForOutput,
} from "./test-support/bin-process.js";

// A project that resolves a poekit of its own (an upgrade that left a second copy, a linked package)
// builds its bots on that copy's PoeBot. They are bots all the same: recognised by their brand, not by
// `instanceof` against the serving copy's class. The second copy is the built SDK copied into the
// project's node_modules, under the repository's ignored .poekit/ so that its own imports (zod) resolve.
let project = "";
const started: ChildProcess[] = [];

beforeAll(() => {
  buildIfStale();
  mkdirSync(path.join(REPO_ROOT, ".poekit"), { recursive: true });
  project = mkdtempSync(path.join(REPO_ROOT, ".poekit", "second-copy-"));
  const copy = path.join(project, "node_modules/poekit");
  cpSync(path.join(REPO_ROOT, "packages/poekit/package.json"), path.join(copy, "package.json"));
  cpSync(path.join(REPO_ROOT, "packages/poekit/dist"), path.join(copy, "dist"), { recursive: true });
  writeFileSync(path.join(project, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    path.join(project, "bot.ts"),
    `import { PoeBot, type QueryRequest } from "poekit";
class CopyBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    yield \`from the second copy: \${request.query.at(-1)?.content}\`;
  }
}
export default new CopyBot();
`,
  );
}, 120_000);
afterEach(() => {
  for (const child of started.splice(0)) stop(child);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("a bot built on another copy of poekit", () => {
  it("is served by poekit serve", async () => {
    const port = await freePort();
    const cli = startBin(
      ["serve", "bot.ts", "--allow-without-key", "--port", String(port), "--host", "127.0.0.1"],
      {
        cwd: project,
        env: cleanEnv(),
      },
    );
    started.push(cli.child);
    await waitForOutput(cli, /Serving CopyBot at /);
    const { status, body } = await postQuery(`http://127.0.0.1:${port}/`);
    expect(status).toBe(200);
    expect(body).toContain('"from the second copy: hello there"');
    expect(cli.stderr()).toBe("");
  });

  it("is accepted by makeApp, and answers through it", async () => {
    const second = (await import(
      pathToFileURL(path.join(project, "node_modules/poekit/dist/index.js")).href
    )) as {
      PoeBot: new () => PoeBot;
    };
    class CopyBot extends second.PoeBot {
      override async *getResponse() {
        yield "made by the other copy";
      }
    }
    const bot = new CopyBot();
    expect(isPoeBot(bot)).toBe(true);
    const app = makeApp(bot, { allowWithoutKey: true });
    const response = await app.fetch(
      new Request("http://bot.test/", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          version: "1.2",
          type: "query",
          query: [{ role: "user", content: "hi" }],
          user_id: "u",
          conversation_id: "c",
          message_id: "m",
        }),
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"made by the other copy"');
  });
});
