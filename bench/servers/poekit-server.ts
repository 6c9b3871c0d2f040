// The poekit side of the server scenarios: `run()` from poekit/node serving examples/echo, or a bench bot.
// It takes the flags of bench/baselines/raw-echo.mjs and speaks the same IPC, so the two are
// started, measured and stopped alike. The bench builds it into plain JavaScript (esbuild, with
// poekit left as a package import), so it runs the SDK as published, with no TypeScript loader.
import { parseArgs } from "node:util";
import { type PoeBot, silentLogger } from "poekit";
import { run } from "poekit/node";
import echoBot from "../../examples/echo/index.js";
import { SleepyBot } from "../bots/sleepy-bot.js";
import { StreamBot } from "../bots/stream-bot.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    mode: { type: "string", default: "echo" },
    events: { type: "string", default: "100" },
    chars: { type: "string", default: "10" },
    interval: { type: "string", default: "1000" },
    // Log as poekit serve does by default (JSON access lines on stdout); otherwise no logs.
    "access-log": { type: "boolean", default: false },
  },
});

function botFor(mode: string | undefined): PoeBot {
  if (mode === "echo") return echoBot;
  if (mode === "stream") return new StreamBot(Number(values.events), Number(values.chars));
  if (mode === "sleep") return new SleepyBot(Number(values.events), Number(values.interval));
  throw new Error(`Unknown --mode ${mode}; use echo, stream or sleep.`);
}

const accessLog = values["access-log"];
const server = await run(botFor(values.mode), {
  port: Number(values.port),
  host: values.host,
  allowWithoutKey: true,
  env: {},
  ...(accessLog ? { logFormat: "json" as const } : { logger: silentLogger }),
  accessLog,
  syncSettings: false,
  argv: [],
});

if (process.send) {
  process.send({ type: "ready", port: server.port });
  process.on("message", (message: { type?: string }) => {
    if (message?.type === "stats") {
      process.send?.({
        type: "stats",
        rss: process.memoryUsage.rss(),
        maxRss: process.resourceUsage().maxRSS * 1024,
      });
    }
  });
  process.on("disconnect", () => process.exit(0));
} else {
  console.log(`poekit (${values.mode}) listening on ${server.url}/`);
}
