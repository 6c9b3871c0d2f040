import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildIfStale, REPO_ROOT } from "../../cli/src/test-support/build-if-stale.js";
import { ScaffoldError } from "./errors.js";
import { type CreateIO, main } from "./main.js";
import type { Prompter, SelectQuestion } from "./prompts.js";

const BIN = path.join(REPO_ROOT, "packages/create-poekit/bin/create-poekit.js");

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), "create-poekit-main-"));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** An IO that records what is written and installed; no terminal unless a prompter is given. */
function fakeIO(overrides: Partial<CreateIO> = {}) {
  let stdout = "";
  let stderr = "";
  const installed: string[] = [];
  const io: CreateIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    prompter: undefined,
    install: async (dir) => {
      installed.push(dir);
    },
    ...overrides,
  };
  return { io, installed, stdout: () => stdout, stderr: () => stderr };
}

const packageName = (dir: string) =>
  (JSON.parse(readFileSync(path.join(cwd, dir, "package.json"), "utf8")) as { name: string }).name;

describe("create-poekit (in-process)", () => {
  it("without a terminal and without arguments, writes my-bot from the echo template", async () => {
    const { io, stdout, stderr, installed } = fakeIO();
    expect(await main([], io)).toBe(0);
    expect(packageName("my-bot")).toBe("my-bot");
    expect(readFileSync(path.join(cwd, "my-bot/index.ts"), "utf8")).toContain("class EchoBot");
    expect(stdout()).toBe(
      [
        "Created my-bot from the echo template:",
        "  .dockerignore",
        "  .gitignore",
        "  Dockerfile",
        "  README.md",
        "  index.test.ts",
        "  index.ts",
        "  package.json",
        "  tsconfig.json",
        "",
        "Next steps:",
        "  cd my-bot",
        "  npm install",
        "  npm run dev      serve the bot and chat with it in the simulator",
        "  npm test         run its tests",
        "The README says how to check it against Poe's protocol and deploy it.",
        "",
      ].join("\n"),
    );
    expect(stderr()).toBe("");
    expect(installed).toEqual([]);
  });

  it("takes the folder and the template from the arguments", async () => {
    const { io } = fakeIO();
    expect(await main(["weather bot", "--template", "function-calling"], io)).toBe(0);
    expect(packageName("weather bot")).toBe("weather-bot");
    expect(readFileSync(path.join(cwd, "weather bot/index.ts"), "utf8")).toContain("get_current_time");
    const short = fakeIO();
    expect(await main(["-t", "attachments", "files"], short.io)).toBe(0);
    expect(short.stdout()).toContain("Created files from the attachments template:");
    expect(short.stdout()).toContain("  cd files\n");
  });

  it("quotes a folder with spaces in the cd step", async () => {
    const { io, stdout } = fakeIO();
    await main(["weather bot"], io);
    expect(stdout()).toContain("  cd 'weather bot'\n");
  });

  it("with --install, installs in the project and leaves npm install out of the next steps", async () => {
    const { io, stdout, installed } = fakeIO();
    expect(await main(["bot", "--install"], io)).toBe(0);
    expect(installed).toEqual([path.join(cwd, "bot")]);
    expect(stdout()).not.toContain("npm install");
    expect(stdout()).toContain("  npm run dev");
  });

  it("exits 1 with npm's failure when the install fails, the project written", async () => {
    const { io, stderr } = fakeIO({
      install: async (dir) => {
        throw new ScaffoldError(
          "INSTALL_FAILED",
          `npm install failed (exit code 1) in ${dir}; run it there yourself to see why.`,
        );
      },
    });
    expect(await main(["bot", "--install"], io)).toBe(1);
    expect(stderr()).toBe(
      `create-poekit: error: npm install failed (exit code 1) in ${path.join(cwd, "bot")}; run it there yourself to see why.\n`,
    );
    expect(existsSync(path.join(cwd, "bot/index.ts"))).toBe(true);
  });

  it("asks for what is missing when there is a terminal", async () => {
    const questions: string[] = [];
    const prompter: Prompter = {
      async text(question) {
        questions.push(question.message);
        return "asked-name";
      },
      async select<Value extends string>(question: SelectQuestion<Value>) {
        questions.push(question.message);
        return "llm" as Value;
      },
    };
    const { io } = fakeIO({ prompter });
    expect(await main([], io)).toBe(0);
    expect(questions).toEqual(["Project name (its folder)", "Template"]);
    expect(readFileSync(path.join(cwd, "asked-name/index.ts"), "utf8")).toContain("class LlmBot");
  });

  it("writes nothing and exits 1 when the user cancels", async () => {
    const prompter: Prompter = { text: async () => undefined, select: async () => undefined };
    const { io, stderr } = fakeIO({ prompter });
    expect(await main([], io)).toBe(1);
    expect(stderr()).toBe("Cancelled; nothing was written.\n");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("exits 2 for an unknown template, listing the templates", async () => {
    const { io, stderr } = fakeIO();
    expect(await main(["bot", "--template", "gpt"], io)).toBe(2);
    expect(stderr()).toBe(
      'create-poekit: error: There is no template "gpt"; choose one of echo, llm, function-calling, attachments.\n',
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("exits 2 for a folder that is not empty", async () => {
    mkdirSync(path.join(cwd, "bot"));
    writeFileSync(path.join(cwd, "bot", "mine.ts"), "");
    const { io, stderr } = fakeIO();
    expect(await main(["bot"], io)).toBe(2);
    expect(stderr()).toBe(
      "create-poekit: error: bot already exists and is not empty; choose a new folder name, or empty it first.\n",
    );
  });

  it("exits 2 for an unknown option or two folders", async () => {
    const unknown = fakeIO();
    expect(await main(["bot", "--typescript"], unknown.io)).toBe(2);
    expect(unknown.stderr()).toMatch(
      /^create-poekit: error: Unknown option '--typescript'.*\nRun create-poekit --help/s,
    );
    const two = fakeIO();
    expect(await main(["a", "b"], two.io)).toBe(2);
    expect(two.stderr()).toBe(
      "create-poekit: error: give one folder, not 2 (a, b); quote a name with spaces.\n",
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("prints its help, with every template, and its version", async () => {
    const help = fakeIO();
    expect(await main(["--help"], help.io)).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: create-poekit \[folder\] \[options\]/);
    for (const template of ["echo", "llm", "function-calling", "attachments"]) {
      expect(help.stdout()).toContain(`   ${template} `);
    }
    const version = fakeIO();
    expect(await main(["-v"], version.io)).toBe(0);
    const { version: packageVersion } = JSON.parse(
      readFileSync(path.join(REPO_ROOT, "packages/create-poekit/package.json"), "utf8"),
    ) as { version: string };
    expect(version.stdout()).toBe(`${packageVersion}\n`);
  });
});

describe("create-poekit (the bin, as npm create runs it)", () => {
  beforeAll(buildIfStale, 120_000);

  function runBin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      // stdin is a pipe, never a terminal: nothing may wait for an answer.
      const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
  }

  it("writes the project from the flags, without asking", async () => {
    const { code, stdout, stderr } = await runBin(["my-bot", "--template", "echo"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Created my-bot from the echo template:");
    expect(readdirSync(path.join(cwd, "my-bot")).sort()).toEqual([
      ".dockerignore",
      ".gitignore",
      "Dockerfile",
      "README.md",
      "index.test.ts",
      "index.ts",
      "package.json",
      "tsconfig.json",
    ]);
  });

  it("exits 2 with one line for a usage error", async () => {
    const { code, stderr } = await runBin(["--template", "nope"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'create-poekit: error: There is no template "nope"; choose one of echo, llm, function-calling, attachments.\n',
    );
  });
});
