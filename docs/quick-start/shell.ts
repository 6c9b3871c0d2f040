import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

/** Where and how long a block's commands run. */
export interface ShellOptions {
  cwd: string;
  /** Added to the environment {@link childEnv} makes. */
  env: Record<string, string>;
  timeoutMs: number;
}

/** How a foreground block ended: its exit code and its stdout and stderr together. */
export interface Finished {
  code: number | null;
  output: string;
}

/**
 * The environment of a block, as a reader's shell has it: this one without what npm and vitest set
 * for the repository's own run (a project's `npm test` would take them up), and with this Node first on
 * PATH, so that every `node`, `npm` and `npx` of the walk runs on the Node vitest runs on. PATH loses
 * the `node_modules` folders npm put on it: the repository's `poekit` would answer for the project's.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited =
    /^(npm_(?!config_(cache|registry|userconfig)$)|VITEST|POE_|FORCE_COLOR$|NODE_OPTIONS$|NODE_ENV$|PORT$|HOST$)/i;
  const kept = Object.fromEntries(Object.entries(process.env).filter(([name]) => !inherited.test(name)));
  const inNodeModules = (dir: string) => dir.split(/[\\/]/).includes("node_modules");
  const PATH = [path.dirname(process.execPath), ...(process.env.PATH ?? "").split(path.delimiter)]
    .filter((dir, index) => dir !== "" && (index === 0 || !inNodeModules(dir)))
    .join(path.delimiter);
  return { ...kept, PATH, NO_COLOR: "1", CI: "1", ...extra };
}

/** Starts `sh -e -c code` in a process group of its own, so that Ctrl-C and a timeout reach all of it. */
function startGroup(code: string, options: ShellOptions): ChildProcess {
  return spawn("sh", ["-e", "-c", code], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

/** Runs a block's commands to their end; a block that outlives `timeoutMs` is killed, with all it started. */
export function runShell(code: string, options: ShellOptions): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = startGroup(code, options);
    let output = "";
    const append = (chunk: Buffer) => (output += chunk.toString());
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    const timer = setTimeout(() => {
      output += `\n[the walk: no end after ${options.timeoutMs / 1000} s; killed]`;
      killGroup(child, "SIGKILL");
    }, options.timeoutMs);
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ code: exitCode, output });
    });
  });
}

/** A block that runs until stopped, such as `npm run dev`, whose output is read while it runs. */
export class BackgroundShell {
  output = "";
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(
    readonly code: string,
    options: ShellOptions,
  ) {
    this.child = startGroup(code, options);
    const append = (chunk: Buffer) => (this.output += chunk.toString());
    this.child.stdout?.on("data", append);
    this.child.stderr?.on("data", append);
    this.exited = new Promise((resolve) => this.child.once("close", () => resolve()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the output contains `text`; throws when the command ends first or the time is up. */
  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (!this.running) throw new Error(`It ended before printing "${text}":\n${this.output}`);
      if (Date.now() > deadline) {
        throw new Error(`No "${text}" within ${timeoutMs / 1000} s:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Ctrl-C, as a terminal sends it: SIGINT to the whole group. Resolves once no process of the group
   * is left; throws (after killing them) when some still are after `timeoutMs`.
   */
  async interrupt(timeoutMs: number): Promise<void> {
    killGroup(this.child, "SIGINT");
    const deadline = Date.now() + timeoutMs;
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    while (groupAlive(this.child)) {
      if (Date.now() > deadline) {
        killGroup(this.child, "SIGKILL");
        throw new Error(`Processes of "${this.code}" were still running ${timeoutMs / 1000} s after Ctrl-C.`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills whatever of the group is left, at the end of a walk that did not stop it. */
  kill(): void {
    killGroup(this.child, "SIGKILL");
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 0);
    return child.pid !== undefined;
  } catch {
    return false;
  }
}
