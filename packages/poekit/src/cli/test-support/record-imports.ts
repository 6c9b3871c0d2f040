// What a run of a bin imports, recorded by a module-resolution hook: start-up time is what a command
// loads, so the tests check that a command loads nothing another command needs.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./bin-process.js";

const RECORDING_HOOKS = `
import { appendFileSync } from "node:fs";
let log;
export function initialize(data) {
  log = data.log;
}
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(log, \`\${specifier}\\t\${resolved.url}\\n\`);
  return resolved;
}
`;

/** What a run imported: each specifier, and the URL it resolved to, in order. */
export interface Imports {
  specifiers: string[];
  urls: string[];
}

/**
 * Runs `node <bin> <args>` in the repository with the recording hook and returns what it imported:
 * until it exits (with code 0), or, given `readyWhen`, until its output matches (then it is stopped).
 * @example
 * const { urls } = await importsOf(POEKIT_BIN, ["--help"]);
 */
export async function importsOf(bin: string, args: string[], readyWhen?: RegExp): Promise<Imports> {
  const scratch = mkdtempSync(path.join(tmpdir(), "poekit-imports-"));
  try {
    const log = path.join(scratch, "imports.tsv");
    writeFileSync(log, "");
    writeFileSync(path.join(scratch, "hooks.mjs"), RECORDING_HOOKS);
    const hooks = pathToFileURL(path.join(scratch, "hooks.mjs")).href;
    const register = `import { register } from "node:module"; register(${JSON.stringify(hooks)}, { data: { log: ${JSON.stringify(log)} } });`;
    const child = spawn(
      process.execPath,
      ["--import", `data:text/javascript,${encodeURIComponent(register)}`, bin, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    const collect = (chunk: string) => {
      output += chunk;
    };
    child.stdout?.setEncoding("utf8").on("data", collect);
    child.stderr?.setEncoding("utf8").on("data", collect);
    try {
      await untilDone(child, () => readyWhen?.test(output) === true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    if (readyWhen === undefined && child.exitCode !== 0) {
      throw new Error(`${bin} ${args.join(" ")} exited with ${child.exitCode}:\n${output}`);
    }
    const rows = readFileSync(log, "utf8")
      .split("\n")
      .filter((row) => row !== "")
      .map((row) => row.split("\t") as [string, string]);
    return { specifiers: rows.map(([specifier]) => specifier), urls: rows.map(([, url]) => url) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Resolves when the child exits or `ready()` holds after some output; rejects after 15 s. */
function untilDone(child: ChildProcess, ready: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the bin neither exited nor became ready in 15 s")),
      15_000,
    );
    const finish = () => {
      clearTimeout(timer);
      resolve();
    };
    child.once("close", finish);
    child.once("error", reject);
    child.stdout?.on("data", () => {
      if (ready()) finish();
    });
  });
}
