import {
  chooseProject,
  clackPrompter,
  createProject,
  describeProject,
  nextSteps,
  type Prompter,
  runNpmInstall,
  ScaffoldError,
} from "create-poekit";
import { colorsFor, type OutputStream } from "../terminal.js";
import { UserError } from "../user-error.js";

/** The flags of `poekit new`, as commander parses them. */
export interface NewFlags {
  template?: string;
  install?: boolean;
}

/** Where `poekit new` writes, asks and installs: the process's own, or a test's. */
export interface NewIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Asks for the template when none is given; `undefined` when stdin or stdout is not a terminal. */
  prompter: Prompter | undefined;
  /** Installs the project's dependencies (for `--install`). */
  install(dir: string): Promise<void>;
}

/**
 * What `poekit new` does once commander has parsed its command line: writes the project (asking for
 * the template on a terminal), and sets exit code 1 when the user cancelled or npm install failed.
 * @example
 * await newAction("my-bot", { template: "llm" });
 */
export async function newAction(dir: string, flags: NewFlags): Promise<void> {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const code = await newCommand(dir, flags, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    prompter: interactive ? clackPrompter() : undefined,
    install: runNpmInstall,
  });
  if (code !== 0) process.exitCode = code;
}

/**
 * Runs `poekit new`: writes the project, installs it with `--install`, and prints what was written and
 * what to run next. Resolves with the exit code: 0, or 1 when the user cancelled the prompt or npm
 * install failed. An unknown template or a folder that is not empty is a {@link UserError}, thrown
 * before anything is written.
 * @example
 * const code = await newCommand("my-bot", { template: "llm" }, io);
 */
export async function newCommand(dir: string, flags: NewFlags, io: NewIO): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`poekit: ${colorsFor(io.stderr, io.env).red("error")}: ${message}\n`);
    return 1;
  };
  try {
    const choice = await chooseProject(
      { dir, template: flags.template },
      { prompter: io.prompter, cwd: io.cwd },
    );
    if (!choice) return fail("Cancelled; nothing was written.");
    const project = await createProject({ ...choice, cwd: io.cwd });
    const colors = colorsFor(io.stdout, io.env);
    io.stdout.write(`${colors.green("✔")} ${describeProject(project, io.cwd)}`);
    if (flags.install) await io.install(project.dir);
    io.stdout.write(`\n${nextSteps(project, { cwd: io.cwd, installed: flags.install === true })}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    if (error.code === "INSTALL_FAILED") return fail(error.message);
    throw new UserError(error.message, { cause: error });
  }
}
