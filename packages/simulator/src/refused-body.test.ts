import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnAnnouncingPort } from "../../poekit/src/test-support/spawn-announcing-port.js";

const MIB = 1024 * 1024;
let child: ChildProcess;
let origin: string;

beforeAll(async () => {
  const script = fileURLToPath(new URL("./test-support/plain-simulator.ts", import.meta.url));
  const spawned = await spawnAnnouncingPort(script);
  child = spawned.child;
  const { port } = spawned;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  child?.kill();
});

describe("the simulator refusing a body over its limit", () => {
  // node:http keeps these connections and reads the rest of the body itself, so even a client still
  // sending (Node's fetch) gets the answer, not a reset; run() had to be taught the same.
  it.each([
    ["/api/conversations", 2, 10],
    ["/bot/Echo", 17, 10],
    ["/api/uploads", 53, 2],
  ])(
    "answers %s with %i MiB with 413 and a JSON detail, read by Node's fetch",
    async (path, mib, tries) => {
      for (let attempt = 0; attempt < tries; attempt++) {
        const response = await fetch(`${origin}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "y".repeat(mib * MIB),
        });
        expect(response.status).toBe(413);
        expect(((await response.json()) as { detail: string }).detail).toMatch(/larger than/);
      }
    },
    30_000,
  );
});
