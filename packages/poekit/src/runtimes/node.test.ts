// examples/echo served by run() on Node: the reference the other runtimes' tests (workerd, Bun, Deno)
// hold their fetch handlers to, with the same suite. Like the example, this file imports the SDK by
// its package name, which vitest resolves to the sources.
import { silentLogger } from "poekit";
import { run } from "poekit/node";
import echoBot from "../../../../examples/echo/index.js";
import { TEST_KEY } from "../test-support/requests.js";
import { describeEchoServer } from "./test-support/echo-server-suite.js";

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
