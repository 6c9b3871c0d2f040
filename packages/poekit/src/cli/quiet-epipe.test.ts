import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { closeSync, existsSync, openSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../cli/src/test-support/build-if-stale.js";
import { EPIPE_EXIT_CODE, quietEpipe } from "./quiet-epipe.js";
import { POEKIT_BIN as bin, REPO_ROOT } from "./test-support/bin-process.js";

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the stream that was not closed received. */
  output: string;
}

beforeAll(buildIfStale, 120_000);

describe("poekit whose reader goes away", () => {
  // `poekit --help | head -1` fails only when head has exited before the command's next write, a race;
  // closing our end of the pipe before the command starts makes its first write fail, every time.
  it.each(["--help", "serve --help", "check --help"])(
    "poekit %s exits quietly when stdout's reader is gone",
    async (line) => {
      const finished = await runWithClosedReader(line.split(" "), "stdout");
      expect(finished.output).toBe("");
      expect(finished).toMatchObject({ code: EPIPE_EXIT_CODE, signal: null });
    },
  );

  it("a usage error keeps its exit code 2 when stderr's reader is gone", async () => {
    // Its message fails to reach stderr; the code it had already chosen stands (docs/cli.md).
    const finished = await runWithClosedReader(["--no-such-option"], "stderr");
    expect(finished.output).toBe("");
    expect(finished).toMatchObject({ code: 2, signal: null });
  });

  it.skipIf(!existsSync("/dev/full"))("another write error still ends with its stack trace", async () => {
    const full = openSync("/dev/full", "w");
    try {
      const child = spawn(process.execPath, [bin, "--help"], {
        cwd: REPO_ROOT,
        stdio: ["ignore", full, "pipe"],
      });
      const finished = await collect(child, child.stderr);
      expect(finished.code).toBe(1);
      expect(finished.output).toMatch(/Error: ENOSPC[^\n]*\n\s+at /);
    } finally {
      closeSync(full);
    }
  });
});

describe("quietEpipe", () => {
  const install = () => {
    const stream = new EventEmitter();
    const exits: number[] = [];
    quietEpipe([stream as unknown as NodeJS.WriteStream], (code) => exits.push(code));
    return { stream, exits };
  };
  const failure = (code: string) => Object.assign(new Error(`write ${code}`), { code });

  it("exits with EPIPE_EXIT_CODE on EPIPE", () => {
    const { stream, exits } = install();
    stream.emit("error", failure("EPIPE"));
    expect(exits).toEqual([EPIPE_EXIT_CODE]);
  });

  it("throws any other error, as an unhandled 'error' event would", () => {
    const { stream, exits } = install();
    expect(() => stream.emit("error", failure("ENOSPC"))).toThrow("write ENOSPC");
    expect(exits).toEqual([]);
  });

  it("adds one listener however often it is installed", () => {
    const { stream } = install();
    quietEpipe([stream as unknown as NodeJS.WriteStream], () => {});
    expect(stream.listenerCount("error")).toBe(1);
  });
});

/**
 * Runs the binary with our end of one of its output pipes closed at once, and resolves with how it
 * ended and what the other stream received; it is killed if it runs 15 s.
 */
async function runWithClosedReader(args: string[], closed: "stdout" | "stderr"): Promise<Finished> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child[closed].destroy();
  return collect(child, closed === "stdout" ? child.stderr : child.stdout);
}

function collect(child: ReturnType<typeof spawn>, stream: NodeJS.ReadableStream | null): Promise<Finished> {
  let output = "";
  stream?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}
