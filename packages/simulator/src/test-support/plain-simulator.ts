// The simulator in a process of its own: `node --import tsx plain-simulator.ts`. Prints `{"port":N}`
// once listening. Its own process, because a client in the server's process shares its event loop and
// does not see the races a real client does (a reset arriving before the answer was read).
import { builtinInProcessBots } from "../bots/in-process-bots.js";
import { startSimulator } from "../start.js";

const running = await startSimulator({ port: 0, db: ":memory:", inProcessBots: builtinInProcessBots() });
process.stdout.write(`${JSON.stringify({ port: new URL(running.url).port })}\n`);
