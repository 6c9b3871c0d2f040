import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readSteps } from "./doc-steps.js";
import { DOC_PORTS } from "./ports.js";
import { Walk } from "./walk.js";

const fence = "```";
const walks: Walk[] = [];
const roots: string[] = [];

afterEach(() => {
  for (const walk of walks.splice(0)) walk.close();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Walks a small doc of `lines` in a new folder, waiting 3 s at most for anything. */
async function walk(lines: string[]): Promise<{ walk: Walk; root: string }> {
  const root = mkdtempSync(path.join(tmpdir(), "poekit-walk-"));
  roots.push(root);
  const placeholders = { "<the greeting>": () => "hello" };
  const walker = new Walk({ doc: "doc.md", root, env: {}, ports: DOC_PORTS, timeoutMs: 3_000, placeholders });
  walks.push(walker);
  for (const step of readSteps(lines.join("\n"))) await walker.runStep(step);
  return { walk: walker, root };
}

// The walk runs `sh`: there is none on Windows.
describe.skipIf(process.platform === "win32")("Walk", () => {
  it("runs blocks in their folder, keeps background ones running, writes files and waits for output", async () => {
    const { root, walk: walker } = await walk([
      "## 1. Start",
      `${fence}sh`,
      "mkdir app && echo <the greeting> > app/greeting.txt",
      fence,
      `${fence}sh cwd=app background="watching"`,
      "echo watching; while [ ! -f saved.ts ]; do sleep 0.05; done; echo saw it; sleep 60",
      fence,
      `${fence}ts file=saved.ts`,
      "export const saved = true;",
      fence,
      `${fence}text output`,
      "saw …",
      fence,
      `${fence}sh cwd=app stops="saved.ts" skip="shows a skipped block"`,
      "docker build .",
      fence,
    ]);
    expect(readFileSync(path.join(root, "app/greeting.txt"), "utf8")).toBe("hello\n");
    expect(readFileSync(path.join(root, "app/saved.ts"), "utf8")).toBe("export const saved = true;\n");
    expect(walker.skipped).toEqual([{ line: 15, reason: "shows a skipped block" }]);
    expect(() => walker.outputOf("saved.ts")).toThrow(/is not running/);
  });

  it("fails on a command that fails, naming the doc's line", async () => {
    await expect(
      walk(["## 1. Run", `${fence}sh`, "true", "poekit-no-such-command --help", fence]),
    ).rejects.toThrow(/^doc\.md:3 \(step 1\): exit code 127 from:[\s\S]*not found/);
  });

  it("fails when the output a block shows never comes, or a background block's line", async () => {
    await expect(
      walk(["## 1. Run", `${fence}sh`, "echo goodbye", fence, `${fence}text output`, "hello", fence]),
    ).rejects.toThrow(/^doc\.md:6 \(step 1\): The output shown never came/);
    await expect(walk(["## 1. Run", `${fence}sh background="ready"`, "sleep 60", fence])).rejects.toThrow(
      /No "ready" within 3 s/,
    );
  });

  it("fails on a placeholder without a value, and on stopping what is not running", async () => {
    await expect(walk(["## 1. Run", `${fence}sh`, "echo <the key>", fence])).rejects.toThrow(
      /<the key> has no value/,
    );
    await expect(walk(["## 1. Run", `${fence}sh stops="npm run dev"`, "true", fence])).rejects.toThrow(
      /no such command was started/,
    );
  });
});
