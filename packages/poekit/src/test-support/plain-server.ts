// A bot server in a process of its own: `node --import tsx plain-server.ts`. Prints `{"port":N}` once
// listening. Its own process, because a client in the server's process shares its event loop and
// does not see the races a real client does (a reset arriving before the answer was read).

import { silentLogger } from "../core/logger.js";
import { run } from "../node/run.js";
import { PoeBot } from "../server/poe-bot.js";

const server = await run(new PoeBot(), {
  port: 0,
  host: "127.0.0.1",
  allowWithoutKey: true,
  logger: silentLogger,
  env: {},
  syncSettings: false,
  argv: [],
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
