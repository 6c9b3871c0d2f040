import { createServer } from "node:net";

/** The ports a walk serves on: those the doc names, or others when those are taken. */
export interface Ports {
  /** The bot's: `npm run dev`'s proxy and `npm start`; 8080 in the doc. */
  bot: number;
  /** The simulator's; 7777 in the doc. */
  simulator: number;
}

/** The ports the quick start names. */
export const DOC_PORTS: Ports = { bot: 8080, simulator: 7777 };

/**
 * The doc's ports where they are free, so that the walk runs the commands exactly as written. On a
 * shared machine either may be taken (another `npm start`, another walk); that one is moved to a free
 * port, and {@link movePorts} and {@link portEnv} carry the move into the blocks.
 */
export async function choosePorts(): Promise<Ports> {
  return {
    bot: (await isFree(DOC_PORTS.bot)) ? DOC_PORTS.bot : await freePort(),
    simulator: (await isFree(DOC_PORTS.simulator)) ? DOC_PORTS.simulator : await freePort(),
  };
}

/**
 * A block or an expected output with the ports moved: every `127.0.0.1:<doc port>`, and `npm run dev`
 * with `--port` and `--sim-port` (poekit dev reads no environment for them) when one moved. Unchanged
 * when the doc's ports are used.
 */
export function movePorts(text: string, ports: Ports): string {
  if (ports.bot === DOC_PORTS.bot && ports.simulator === DOC_PORTS.simulator) return text;
  return text
    .replaceAll(`127.0.0.1:${DOC_PORTS.bot}`, `127.0.0.1:${ports.bot}`)
    .replaceAll(`127.0.0.1:${DOC_PORTS.simulator}`, `127.0.0.1:${ports.simulator}`)
    .replace(/^npm run dev$/m, `npm run dev -- --port ${ports.bot} --sim-port ${ports.simulator}`);
}

/** The environment that moves `npm start` (`poekit serve`, which reads PORT) with the bot's port. */
export function portEnv(ports: Ports): Record<string, string> {
  return ports.bot === DOC_PORTS.bot ? {} : { PORT: String(ports.bot) };
}

/** Whether nothing listens on `port`, on any address (a server on 0.0.0.0 or on loopback). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
