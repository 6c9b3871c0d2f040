// The server under soak, in a process of its own so that its memory and handles are its own:
// `node --expose-gc --import tsx soak/lib/server-child.ts sdk|simulator <db file>`.
// It reports its port over IPC, then answers "stats" messages with what it measures of itself.
import { startSimulator } from "@poekit/simulator";
import { silentLogger } from "poekit";
import { run } from "poekit/node";
import type { ChildMessage, ParentMessage, ServerStats } from "./ipc.js";
import { SoakBot } from "./soak-bot.js";

const [mode, db] = process.argv.slice(2);
const send = (message: ChildMessage) => process.send?.(message);

let openStreams = () => 0;
let path = "/";
if (mode === "sdk") {
  const server = await run(new SoakBot(), {
    port: 0,
    host: "127.0.0.1",
    allowWithoutKey: true,
    handleSignals: false,
    logger: silentLogger,
    syncSettings: false,
    env: {},
    argv: [],
  });
  openStreams = () => server.app.openStreams;
  send({ type: "ready", port: server.port, path });
} else if (mode === "simulator") {
  const simulator = await startSimulator({
    port: 0,
    host: "127.0.0.1",
    db: db ?? ":memory:",
    inProcessBots: [{ name: "SoakBot", kind: "builtin", description: "the soak's bot", bot: new SoakBot() }],
  });
  path = "/bot/SoakBot";
  send({ type: "ready", port: Number(new URL(simulator.url).port), path });
} else {
  throw new Error(`Unknown mode ${mode}; use sdk or simulator.`);
}

process.on("message", async (message: ParentMessage) => {
  if (message.type !== "stats") return;
  send({ type: "stats", stats: await measure(openStreams()) });
});
// The harness going away ends this process too.
process.on("disconnect", () => process.exit(0));

async function measure(streams: number): Promise<ServerStats> {
  // Collected twice, a moment apart, so that what is left is what is still held.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc?.();
  const resources: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) resources[name] = (resources[name] ?? 0) + 1;
  const memory = process.memoryUsage();
  return { rss: memory.rss, heapUsed: memory.heapUsed, resources, openStreams: streams };
}
