// The same bot module in Node and in Cloudflare's workerd runtime: examples/echo, served by run() and
// bundled as a module worker, meets one suite of assertions in both. Like the example, this file
// imports the SDK by its package name, which vitest resolves to the sources.
import { fileURLToPath } from "node:url";
import { silentLogger } from "poekit";
import { run } from "poekit/node";
import { describe } from "vitest";
import echoBot from "../../../../examples/echo/index.js";
import { TEST_KEY } from "../test-support/requests.js";
import { describeEchoServer } from "./test-support/echo-server-suite.js";
import { startWorkerd, workerdTestsEnabled } from "./test-support/workerd.js";

const ECHO_WORKER = fileURLToPath(new URL("./test-support/echo-worker.ts", import.meta.url));

describeEchoServer("Node (run())", async () => {
  const server = await run(echoBot, {
    port: 0,
    host: "127.0.0.1",
    accessKey: TEST_KEY,
    handleSignals: false,
    syncSettings: false,
    logger: silentLogger,
    env: {},
  });
  return { url: server.url, stop: () => server.close(0) };
});

describe.runIf(workerdTestsEnabled())("Cloudflare Workers", () => {
  describeEchoServer("workerd (bundled as a module worker)", () =>
    startWorkerd({ entry: ECHO_WORKER, bindings: { POE_ACCESS_KEY: TEST_KEY } }),
  );
});
