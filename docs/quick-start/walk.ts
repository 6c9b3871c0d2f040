import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Step, WalkBlock } from "./doc-steps.js";
import { outputPattern } from "./output-pattern.js";
import { fillPlaceholders, type PLACEHOLDERS, type PlaceholderContext } from "./placeholders.js";
import { movePorts, type Ports, portEnv } from "./ports.js";
import { BackgroundShell, runShell } from "./shell.js";

/** Where and how a walk runs the doc's blocks. */
export interface WalkOptions {
  /** The doc's name, for errors: `docs/quick-start.md`. */
  doc: string;
  /** The folder the reader starts in; a block's `cwd` is relative to it. */
  root: string;
  /** Added to every block's environment. */
  env: Record<string, string>;
  ports: Ports;
  /** How long one block may run, a background block take to be ready, or an output take to come. */
  timeoutMs: number;
  placeholders?: typeof PLACEHOLDERS;
}

/**
 * Does what a reader does with each block, in order: runs shell blocks in their folder (a failing
 * command fails the walk), writes `file=` blocks, compares `shows=` blocks with the file, and waits for
 * each `output` block in the output of the block before it.
 */
export class Walk implements PlaceholderContext {
  /** The blocks not run, with why. */
  readonly skipped: { line: number; reason: string }[] = [];
  private readonly backgrounds: BackgroundShell[] = [];
  /** The folder of the last shell block run, where `file=` blocks are written. */
  private folder: string;
  /** The output an `output` block is looked for in, and whether it may still grow. */
  private lastOutput: { text: () => string; growing: boolean } = { text: () => "", growing: false };

  constructor(private readonly options: WalkOptions) {
    this.folder = options.root;
  }

  /** Runs the step's blocks in order; an error names the doc line of the block that failed. */
  async runStep(step: Step): Promise<void> {
    for (const block of step.blocks) {
      try {
        await this.run(block);
      } catch (error) {
        const message = `${this.options.doc}:${block.line} (step ${step.number}): ${(error as Error).message}`;
        throw new Error(message, { cause: error });
      }
    }
  }

  outputOf(command: string): string {
    const found = this.backgrounds.find((background) => background.code.includes(command));
    if (!found) throw new Error(`"${command}" is not running.`);
    return found.output;
  }

  /** Kills every background block still running. */
  close(): void {
    for (const background of this.backgrounds.splice(0)) background.kill();
  }

  private async run(block: WalkBlock): Promise<void> {
    switch (block.kind) {
      case "shell":
        return this.runShellBlock(block);
      case "file": {
        const marks = this.backgrounds.map((background) => [background, background.output.length] as const);
        writeFileSync(path.join(this.folder, block.path), `${block.code}\n`);
        // What the running commands print from now on is the save's answer.
        this.lastOutput = {
          text: () => marks.map(([background, from]) => background.output.slice(from)).join(""),
          growing: marks.length > 0,
        };
        return;
      }
      case "shows": {
        const file = path.join(this.folder, block.path);
        const actual = existsSync(file) ? readFileSync(file, "utf8") : "(no such file)";
        if (actual.trimEnd() !== block.code.trimEnd()) {
          throw new Error(`${block.path} is not what the doc shows. It is:\n${actual}`);
        }
        return;
      }
      case "output":
        return this.waitForOutput(block.code);
    }
  }

  private async runShellBlock(block: Extract<WalkBlock, { kind: "shell" }>): Promise<void> {
    if (block.stops !== undefined) await this.stop(block.stops);
    if (block.skip !== undefined) {
      if (block.skip.trim() === "") throw new Error("skip needs a reason.");
      this.skipped.push({ line: block.line, reason: block.skip });
      return;
    }
    const cwd = path.join(this.options.root, block.cwd);
    if (!existsSync(cwd)) throw new Error(`cwd=${block.cwd}: there is no such folder.`);
    this.folder = cwd;
    const code = movePorts(fillPlaceholders(block.code, this, this.options.placeholders), this.options.ports);
    const shell = {
      cwd,
      env: { ...this.options.env, ...portEnv(this.options.ports) },
      timeoutMs: this.options.timeoutMs,
    };
    if (block.background !== undefined) {
      const background = new BackgroundShell(code, shell);
      this.backgrounds.push(background);
      this.lastOutput = { text: () => background.output, growing: true };
      await background.waitFor(movePorts(block.background, this.options.ports), this.options.timeoutMs);
      return;
    }
    const finished = await runShell(code, shell);
    this.lastOutput = { text: () => finished.output, growing: false };
    if (finished.code !== 0) throw new Error(`exit code ${finished.code} from:\n${code}\n${finished.output}`);
  }

  /** Ctrl-C in the terminal of the background block that runs `command`. */
  private async stop(command: string): Promise<void> {
    const index = this.backgrounds.findIndex((background) => background.code.includes(command));
    const background = this.backgrounds[index];
    if (!background) throw new Error(`stops="${command}": no such command was started.`);
    this.backgrounds.splice(index, 1);
    if (!background.running)
      throw new Error(`stops="${command}": it had ended already:\n${background.output}`);
    await background.interrupt(this.options.timeoutMs);
  }

  private async waitForOutput(expected: string): Promise<void> {
    const pattern = outputPattern(movePorts(expected, this.options.ports));
    const deadline = Date.now() + this.options.timeoutMs;
    // A finished command's output is whole: only a running one's is worth waiting for.
    while (!pattern.test(this.lastOutput.text())) {
      if (!this.lastOutput.growing || Date.now() > deadline) {
        throw new Error(
          `The output shown never came. Expected:\n${expected}\nGot:\n${this.lastOutput.text()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
