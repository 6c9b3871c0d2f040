import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScaffoldError } from "./errors.js";
import {
  chooseProject,
  clackPrompter,
  type Prompter,
  type SelectQuestion,
  type TextQuestion,
} from "./prompts.js";

/** A prompter that answers from a script and records the questions. `undefined` answers cancel. */
function scriptedPrompter(answers: { text?: string | undefined; select?: string | undefined }) {
  const asked: { text: TextQuestion[]; select: SelectQuestion<string>[] } = { text: [], select: [] };
  const prompter: Prompter = {
    async text(question) {
      asked.text.push(question);
      return answers.text;
    },
    async select<Value extends string>(question: SelectQuestion<Value>) {
      asked.select.push(question);
      return answers.select as Value | undefined;
    },
  };
  return { prompter, asked };
}

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), "create-poekit-prompts-"));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe("chooseProject", () => {
  it("without a prompter, takes my-bot and echo for what is missing, and asks nothing", async () => {
    expect(await chooseProject({}, { cwd })).toEqual({ dir: "my-bot", template: "echo" });
    expect(await chooseProject({ dir: "x" }, { cwd })).toEqual({ dir: "x", template: "echo" });
    expect(await chooseProject({ template: "llm" }, { cwd })).toEqual({ dir: "my-bot", template: "llm" });
  });

  it("asks for the name and the template when neither is given", async () => {
    const { prompter, asked } = scriptedPrompter({ text: "weather", select: "function-calling" });
    expect(await chooseProject({}, { prompter, cwd })).toEqual({
      dir: "weather",
      template: "function-calling",
    });
    expect(asked.text).toHaveLength(1);
    expect(asked.text[0]?.defaultValue).toBe("my-bot");
    expect(asked.select).toHaveLength(1);
    expect(asked.select[0]?.initialValue).toBe("echo");
    expect(asked.select[0]?.options.map((option) => option.value)).toEqual([
      "echo",
      "llm",
      "function-calling",
      "attachments",
    ]);
    expect(asked.select[0]?.options[1]?.hint).toBe(
      "forwards the conversation to GPT-4o-Mini and streams its answer",
    );
  });

  it("asks only for what is missing", async () => {
    const onlyTemplate = scriptedPrompter({ select: "attachments" });
    expect(await chooseProject({ dir: "files" }, { prompter: onlyTemplate.prompter, cwd })).toEqual({
      dir: "files",
      template: "attachments",
    });
    expect(onlyTemplate.asked.text).toEqual([]);

    const onlyName = scriptedPrompter({ text: "named" });
    expect(await chooseProject({ template: "llm" }, { prompter: onlyName.prompter, cwd })).toEqual({
      dir: "named",
      template: "llm",
    });
    expect(onlyName.asked.select).toEqual([]);

    const nothing = scriptedPrompter({});
    await chooseProject({ dir: "a", template: "echo" }, { prompter: nothing.prompter, cwd });
    expect(nothing.asked).toEqual({ text: [], select: [] });
  });

  it("the name question refuses a folder that is not empty", async () => {
    mkdirSync(path.join(cwd, "taken"));
    writeFileSync(path.join(cwd, "taken", "file"), "");
    const { prompter, asked } = scriptedPrompter({ text: "fresh", select: "echo" });
    await chooseProject({}, { prompter, cwd });
    const validate = asked.text[0]?.validate;
    expect(validate?.("taken")).toBe(
      "taken already exists and is not empty; choose a new folder name, or empty it first.",
    );
    expect(validate?.("fresh")).toBeUndefined();
  });

  it("resolves with undefined when the user cancels either question", async () => {
    expect(
      await chooseProject({}, { prompter: scriptedPrompter({ text: undefined }).prompter, cwd }),
    ).toBeUndefined();
    const cancelTemplate = scriptedPrompter({ text: "a", select: undefined });
    expect(await chooseProject({}, { prompter: cancelTemplate.prompter, cwd })).toBeUndefined();
  });

  it("refuses an unknown template before asking anything", async () => {
    const { prompter, asked } = scriptedPrompter({ text: "a" });
    await expect(chooseProject({ template: "gpt" }, { prompter, cwd })).rejects.toThrow(ScaffoldError);
    expect(asked.text).toEqual([]);
  });
});

describe("clackPrompter", () => {
  /** Streams clack draws on; the input acts as a terminal so that keys are read one by one. */
  function terminal() {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
    const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
    output.resume();
    return { input, output };
  }

  it("takes a typed name, and the default when the user just presses Enter", async () => {
    const streams = terminal();
    const prompter = clackPrompter(streams);
    const typed = prompter.text({ message: "Name", defaultValue: "my-bot", validate: () => undefined });
    setImmediate(() => streams.input.write("weather\r"));
    expect(await typed).toBe("weather");

    const empty = prompter.text({ message: "Name", defaultValue: "my-bot", validate: () => undefined });
    setImmediate(() => streams.input.write("\r"));
    expect(await empty).toBe("my-bot");
  });

  it("moves through the options with the arrow keys", async () => {
    const streams = terminal();
    const chosen = clackPrompter(streams).select({
      message: "Template",
      options: [
        { value: "echo", label: "echo", hint: "" },
        { value: "llm", label: "llm", hint: "" },
        { value: "attachments", label: "attachments", hint: "" },
      ],
      initialValue: "echo",
    });
    setImmediate(() => streams.input.write("\u001b[B\u001b[B\r"));
    expect(await chosen).toBe("attachments");
  });

  it("answers undefined on Ctrl-C", async () => {
    const streams = terminal();
    const cancelled = clackPrompter(streams).text({
      message: "Name",
      defaultValue: "x",
      validate: () => undefined,
    });
    setImmediate(() => streams.input.write("\u0003"));
    expect(await cancelled).toBeUndefined();
  });
});
