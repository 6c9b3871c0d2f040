import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ScaffoldError, type SelectQuestion } from "create-poekit";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../main.js";
import { UserError } from "../user-error.js";
import { type NewIO, newCommand } from "./new-action.js";

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), "poekit-new-"));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** An IO without a terminal (no prompts, no colour) that records what is written and installed. */
function fakeIO(overrides: Partial<NewIO> = {}) {
  let stdout = "";
  let stderr = "";
  const installed: string[] = [];
  const io: NewIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    cwd,
    prompter: undefined,
    install: async (dir) => {
      installed.push(dir);
    },
    ...overrides,
  };
  return { io, installed, stdout: () => stdout, stderr: () => stderr };
}

const read = (file: string) => readFileSync(path.join(cwd, file), "utf8");

describe("poekit new", () => {
  it("writes the project from the template given, and says what it wrote and what to run next", async () => {
    const { io, stdout, stderr, installed } = fakeIO();
    expect(await newCommand("weather", { template: "function-calling" }, io)).toBe(0);
    expect(read("weather/index.ts")).toContain("class FunctionCallingBot");
    expect(JSON.parse(read("weather/package.json"))).toMatchObject({
      name: "weather",
      dependencies: { poekit: expect.stringMatching(/^\^\d/), zod: expect.any(String) },
      devDependencies: { "@poekit/cli": expect.stringMatching(/^\^\d/) },
    });
    expect(stdout()).toBe(
      [
        "✔ Created weather from the function-calling template:",
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
        "  cd weather",
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

  it("takes the echo template when none is given and nobody can be asked", async () => {
    const { io } = fakeIO();
    expect(await newCommand("bot", {}, io)).toBe(0);
    expect(read("bot/index.ts")).toContain("class EchoBot");
  });

  it("asks for the template on a terminal, and only for the template", async () => {
    const asked: SelectQuestion<string>[] = [];
    const text = vi.fn();
    const { io } = fakeIO({
      prompter: {
        text,
        async select<Value extends string>(question: SelectQuestion<Value>) {
          asked.push(question);
          return "attachments" as Value;
        },
      },
    });
    expect(await newCommand("files", {}, io)).toBe(0);
    expect(asked.map((question) => question.message)).toEqual(["Template"]);
    expect(text).not.toHaveBeenCalled();
    expect(read("files/index.ts")).toContain("class AttachmentsBot");
  });

  it("exits 1 and writes nothing when the user cancels the question", async () => {
    const { io, stderr } = fakeIO({
      prompter: { text: async () => undefined, select: async () => undefined },
    });
    expect(await newCommand("bot", {}, io)).toBe(1);
    expect(stderr()).toBe("poekit: error: Cancelled; nothing was written.\n");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("with --install, installs in the project, then leaves npm install out of the next steps", async () => {
    const { io, stdout, installed } = fakeIO();
    expect(await newCommand("bot", { install: true }, io)).toBe(0);
    expect(installed).toEqual([path.join(cwd, "bot")]);
    expect(stdout()).toContain("Next steps:\n  cd bot\n  npm run dev");
  });

  it("exits 1 with one line when npm install fails, the project written", async () => {
    const { io, stderr } = fakeIO({
      install: async () => {
        throw new ScaffoldError(
          "INSTALL_FAILED",
          "npm install failed (exit code 1) in bot; run it there yourself to see why.",
        );
      },
    });
    expect(await newCommand("bot", { install: true }, io)).toBe(1);
    expect(stderr()).toBe(
      "poekit: error: npm install failed (exit code 1) in bot; run it there yourself to see why.\n",
    );
    expect(readdirSync(path.join(cwd, "bot"))).toContain("index.ts");
  });

  it("refuses a folder that is not empty with a UserError, writing nothing", async () => {
    mkdirSync(path.join(cwd, "bot"));
    writeFileSync(path.join(cwd, "bot", "keep.md"), "mine");
    const { io } = fakeIO();
    const attempt = newCommand("bot", { template: "echo" }, io);
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(
      "bot already exists and is not empty; choose a new folder name, or empty it first.",
    );
    expect(readdirSync(path.join(cwd, "bot"))).toEqual(["keep.md"]);
  });

  it("refuses an unknown template with a UserError listing the templates", async () => {
    const { io } = fakeIO();
    await expect(newCommand("bot", { template: "gpt" }, io)).rejects.toThrow(
      new UserError('There is no template "gpt"; choose one of echo, llm, function-calling, attachments.'),
    );
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe("poekit new on the command line", () => {
  function captureStderr() {
    let text = "";
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      text += String(chunk);
      return true;
    });
    return () => text;
  }

  it("exits 2 for an unknown template, naming the choices", async () => {
    const stderr = captureStderr();
    expect(await main(["new", path.join(cwd, "bot"), "--template", "gpt"])).toBe(2);
    expect(stderr()).toBe(
      "poekit: error: option '-t, --template <name>' argument 'gpt' is invalid. Allowed choices are echo, llm, function-calling, attachments.\n",
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("exits 2 with one line for a folder that is not empty", async () => {
    writeFileSync(path.join(cwd, "taken.txt"), "");
    const stderr = captureStderr();
    expect(await main(["new", cwd, "--template", "echo"])).toBe(2);
    expect(stderr()).toBe(
      `poekit: error: ${cwd} already exists and is not empty; choose a new folder name, or empty it first.\n`,
    );
  });

  it("exits 2 without a folder", async () => {
    const stderr = captureStderr();
    expect(await main(["new"])).toBe(2);
    expect(stderr()).toBe("poekit: error: missing required argument 'dir'\n");
  });
});
