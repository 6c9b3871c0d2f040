// A bot server in a process of its own, for the SIGTERM test: `node --import tsx shutdown-server.ts`.
// Prints `{"port":N}` once listening and its bot's tally when it exits; GRACE_MS sets the grace period.

import { silentLogger } from "../core/logger.js";
import { run } from "../node/run.js";
import { ShutdownBot } from "./shutdown-bot.js";

const bot = new ShutdownBot();
const server = await run(bot, {
  port: 0,
  host: "127.0.0.1",
  allowWithoutKey: true,
  graceMs: Number(process.env.GRACE_MS ?? 1_000),
  logger: silentLogger,
  env: {},
  syncSettings: false,
  argv: [],
});
process.on("exit", () => process.stdout.write(`${JSON.stringify({ tally: bot.tally })}\n`));
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
