import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../core/logger.js";
import { PoeBot } from "../server/poe-bot.js";
import { rawExchange } from "../test-support/raw-socket.js";
import { spawnAnnouncingPort } from "../test-support/spawn-announcing-port.js";
import { type RunningServer, run } from "./run.js";

const MIB = 1024 * 1024;
const servers: RunningServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
  for (const child of children.splice(0)) child.kill();
});

/** `run()` in a process of its own, where a reset can overtake the answer as it does for real clients. */
async function serveElsewhere(): Promise<string> {
  const script = fileURLToPath(new URL("../test-support/plain-server.ts", import.meta.url));
  const { child, port } = await spawnAnnouncingPort(script);
  children.push(child);
  return `http://127.0.0.1:${port}/`;
}

describe("run() refusing a body over the limit", () => {
  it("gets its 413 and JSON detail to Node's fetch while it is still sending 17 MiB", async () => {
    const url = await serveElsewhere();
    // Without the rest of the body read, about one try in ten failed with EPIPE or ECONNRESET.
    for (let attempt = 0; attempt < 30; attempt++) {
      const body = attempt % 2 === 0 ? "y".repeat(17 * MIB) : new Uint8Array(17 * MIB).fill(121);
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(response.status).toBe(413);
      expect(response.headers.get("connection")).toBe("close");
      expect(((await response.json()) as { detail: string }).detail).toMatch(/larger than the limit/);
    }
  }, 30_000);

  it("closes the connection of a client that stopped sending after a second of silence", async () => {
    const server = await run(new PoeBot(), {
      port: 0,
      host: "127.0.0.1",
      allowWithoutKey: true,
      handleSignals: false,
      syncSettings: false,
      logger: silentLogger,
      env: {},
      argv: [],
    });
    servers.push(server);
    const head = `POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${20 * MIB}\r\n\r\n`;
    const reply = await rawExchange(server.port, new TextEncoder().encode(`${head}{"a":1`), {
      guardMs: 4_000,
    });
    expect(reply.statuses).toEqual([413]);
    expect(reply.closedByServer).toBe(true);
    expect(reply.elapsedMs).toBeGreaterThan(900);
    expect(reply.elapsedMs).toBeLessThan(3_000);
  });
});
