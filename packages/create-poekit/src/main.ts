import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ScaffoldError } from "./errors.js";
import { runNpmInstall } from "./install.js";
import { describeLocalPackages, findLocalPackages } from "./local-packages.js";
import { chooseProject, clackPrompter, DEFAULT_PROJECT_DIR, type Prompter } from "./prompts.js";
import { createProject } from "./scaffold.js";
import { describeProject, nextSteps } from "./summary.js";
import { DEFAULT_TEMPLATE, TEMPLATE_NAMES, TEMPLATES } from "./templates.js";

/** Where `create-poekit` writes, reads and installs; the process's own, or a test's. */
export interface CreateIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  /** Asks for what the arguments left out; `undefined` when stdin or stdout is not a terminal. */
  prompter: Prompter | undefined;
  /** Installs the dependencies of the project in `dir` (for `--install`). */
  install(dir: string): Promise<void>;
}

/** The exit code of a mistake the user can fix: a bad option, a folder that is not empty. */
export const USAGE_EXIT_CODE = 2;

const USAGE = `Usage: create-poekit [folder] [options]

Creates a Poe server bot project written with poekit: the bot, its tests, a README on running,
testing and deploying it, and a Dockerfile. On a terminal it asks for what is not given; otherwise
the folder is ${DEFAULT_PROJECT_DIR} and the template ${DEFAULT_TEMPLATE}.

Options:
  -t, --template <name>  the template to start from:
${TEMPLATE_NAMES.map((name) => `                           ${name.padEnd(17)} ${TEMPLATES[name].summary}`).join("\n")}
  --install              run npm install in the new project
  --packages <folder>    depend on poekit's packages packed in <folder> (\`npm run pack\` in a
                           clone of poekit) instead of the registry's
  -v, --version          print the version
  -h, --help             show this help

Examples:
  npm create poekit@latest my-bot
  npm create poekit@latest my-bot -- --template llm
  npx create-poekit weather-bot --template function-calling --install
`;

/**
 * The `create-poekit` command (what `npm create poekit` runs): resolves with its exit code, 0 when the
 * project was written, 2 for a usage error, 1 when the user cancelled or npm install failed.
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(args: readonly string[], io: CreateIO = processIO()): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(
      `create-poekit: error: ${(error as Error).message}\nRun create-poekit --help for the options.\n`,
    );
    return USAGE_EXIT_CODE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    io.stderr.write(
      `create-poekit: error: give one folder, not ${positionals.length} (${positionals.join(", ")}); quote a name with spaces.\n`,
    );
    return USAGE_EXIT_CODE;
  }

  try {
    const choice = await chooseProject(
      { dir: positionals[0], template: values.template },
      { prompter: io.prompter, cwd: io.cwd },
    );
    if (!choice) {
      io.stderr.write("Cancelled; nothing was written.\n");
      return 1;
    }
    const packages =
      values.packages === undefined ? undefined : findLocalPackages(path.resolve(io.cwd, values.packages));
    const project = await createProject({ ...choice, cwd: io.cwd, packages });
    io.stdout.write(describeProject(project, io.cwd));
    if (packages) io.stdout.write(`${describeLocalPackages(packages)}\n`);
    if (values.install) await io.install(project.dir);
    io.stdout.write(`\n${nextSteps(project, { cwd: io.cwd, installed: values.install === true })}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    io.stderr.write(`create-poekit: error: ${error.message}\n`);
    return error.code === "INSTALL_FAILED" ? 1 : USAGE_EXIT_CODE;
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      template: { type: "string", short: "t" },
      install: { type: "boolean" },
      packages: { type: "string" },
      version: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function processIO(): CreateIO {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    prompter: interactive ? clackPrompter() : undefined,
    install: runNpmInstall,
  };
}

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: unknown;
  };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
