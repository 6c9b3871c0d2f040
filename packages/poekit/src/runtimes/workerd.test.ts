// The docs' Cloudflare Worker (every `ts file=worker.ts` block of README.md and docs/), with
// examples/echo as its bot, bundled as Workers tooling does and served by workerd, the runtime behind
// Workers: it must meet the suite run() meets on Node (node.test.ts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_KEY } from "../test-support/requests.js";
import { docSnippets } from "./test-support/doc-snippets.js";
import { describeEchoServer } from "./test-support/echo-server-suite.js";
import type { ServerProcess } from "./test-support/processes.js";
import { runtimeTestsEnabled } from "./test-support/runtime-gate.js";
import { serveOnWorkerd, workerd } from "./test-support/workerd.js";

const snippets = docSnippets("worker.ts");

it("docs/deploying.md shows a worker.ts", () => {
  expect(snippets.flatMap((snippet) => snippet.docs)).toContain("docs/deploying.md");
});

describe.runIf(runtimeTestsEnabled(workerd))("Cloudflare Workers", () => {
  for (const snippet of snippets) {
    describeEchoServer(`workerd (worker.ts of ${snippet.docs.join(", ")})`, () =>
      serveOnWorkerd(snippet.text, { POE_ACCESS_KEY: TEST_KEY }),
    );
  }
});

// makeApp's settings sync on Workers: no network call outside a request, so the first request starts
// it, and ctx.waitUntil lets it finish after that answer. A Poe stand-in on 127.0.0.1 receives it.
const SYNCING_WORKER = `
import { makeApp, type PoeApp } from "poekit";
import bot from "./bot.js";

let app: PoeApp | undefined;

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    // Workers have no process.env here: the stand-in's address reaches the client through a shim.
    (globalThis as { process?: unknown }).process ??= { env: { POE_API_BASE_URL: env.POE_API_BASE_URL } };
    app ??= makeApp(bot, { accessKey: env.POE_ACCESS_KEY, botName: "EchoOnWorkers" });
    return app.fetch(request, env, ctx);
  },
};
`;

describe.runIf(runtimeTestsEnabled(workerd))("Cloudflare Workers: settings sync on the first request", () => {
  let poe: Server;
  const received: string[] = [];
  let worker: ServerProcess | undefined;

  beforeAll(async () => {
    poe = createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push(`${request.method} ${request.url} ${body}`);
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => poe.listen(0, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    await worker?.stop();
    poe.closeAllConnections();
    await new Promise((resolve) => poe.close(resolve));
  });

  it("sends update_settings once, started by a request, to a stand-in on 127.0.0.1", async () => {
    const base = `http://127.0.0.1:${(poe.address() as AddressInfo).port}`;
    worker = await serveOnWorkerd(
      SYNCING_WORKER,
      { POE_ACCESS_KEY: TEST_KEY, POE_API_BASE_URL: base },
      { loopbackOutbound: true },
    );
    // serveOnWorkerd's readiness probe was the first request; this one must not sync again.
    expect((await fetch(`${worker.url}/`)).status).toBe(200);
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]).toMatch(new RegExp(`^POST /bot/update_settings/EchoOnWorkers/${TEST_KEY}/1\\.2 \\{`));
    await fetch(`${worker.url}/`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
  });
});
