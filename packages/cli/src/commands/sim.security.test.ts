import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, REPO_ROOT } from "../test-support/build-if-stale.js";

// The banner is printed by the real binary, which runs the compiled code in dist.
beforeAll(buildIfStale, 120_000);

/** Starts `poekit sim` with `args`, waits for its banner, stops it, and returns what it printed. */
function bannerOf(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, "packages/poekit/bin/poekit.js"),
        "sim",
        "--port",
        "0",
        "--db",
        ":memory:",
        ...args,
      ],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (/Ctrl-C stops/.test(output)) child.kill("SIGTERM");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", reject);
    child.once("close", () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

describe("poekit sim's address", () => {
  it("is 127.0.0.1 by default, without a warning; any other --host is announced with one", {
    timeout: 60_000,
  }, async () => {
    const local = await bannerOf([]);
    expect(local).toMatch(/poekit simulator on http:\/\/127\.0\.0\.1:\d+/);
    expect(local).not.toMatch(/warning/);
    // 127.0.0.2 is still this machine, so the test reaches no network; it is not the default.
    const other = await bannerOf(["--host", "127.0.0.2"]);
    expect(other).toMatch(/poekit simulator on http:\/\/127\.0\.0\.2:\d+/);
    expect(other).toMatch(
      /warning: listening on 127\.0\.0\.2: anyone who can reach this machine can use the simulator and its bots\./,
    );
  });
});
