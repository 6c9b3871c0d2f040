import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../cli/src/test-support/build-if-stale.js";
import {
  cleanEnv,
  freePort,
  POEKIT_BIN,
  postQuery,
  QUERY,
  REPO_ROOT,
  stop,
} from "./test-support/bin-process.js";

beforeAll(buildIfStale, 120_000);

const BOT = path.relative(
  REPO_ROOT,
  fileURLToPath(new URL("./test-fixtures/fails-on-oops.mts", import.meta.url)),
);

// A log shipper that restarts, or `poekit serve | head`, closes the pipe the server logs to; every
// line logged after that fails with EPIPE. The server must go on answering Poe all the same.
describe("poekit serve whose log reader goes away", () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) stop(child);
  });

  it.each(["stdout", "stderr"] as const)("goes on answering with its %s closed", async (closed) => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [POEKIT_BIN, "serve", BOT, "--port", String(port), "--host", "127.0.0.1", "--allow-without-key"],
      // Pretty logs: errors go to stderr, the rest to stdout; LOG_LEVEL=debug makes every request write.
      {
        cwd: REPO_ROOT,
        env: cleanEnv({ NO_COLOR: "1", LOG_LEVEL: "debug", POEKIT_LOG_FORMAT: "pretty" }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(child);
    child[closed].destroy();
    let exited = false;
    child.once("exit", () => {
      exited = true;
    });

    const url = `http://127.0.0.1:${port}/`;
    const first = await untilAnswered(url, () => exited);
    expect(first.status).toBe(200);
    // Each answer was logged (into a closed pipe) since; the server still answers the next ones.
    for (let count = 0; count < 3; count++) {
      const answer = await postQuery(url);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('"text":"hello there"');
    }
    // A bot that fails is logged as an error, to stderr.
    const failed = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...QUERY, query: [{ role: "user", content: "oops" }] }),
    });
    expect(await failed.text()).toContain("event: error");
    expect((await postQuery(url)).status).toBe(200);
    expect(exited).toBe(false);
  });
});

/** Posts the query until the server listens; fails as soon as the process has exited. */
async function untilAnswered(url: string, exited: () => boolean) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (exited()) throw new Error("poekit serve exited");
    try {
      return await postQuery(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error("poekit serve never answered");
}
