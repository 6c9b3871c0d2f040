import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, REPO_ROOT } from "./test-support/build-if-stale.js";

// Start-up time is what a command loads: these tests run the real binary with a module-resolution
// hook that records every import, and check that a command loads nothing another command needs.
// The binary runs the CLI's bundle, in which each command's action is a chunk of its own
// (`serve-action-<hash>.js`), and `poekit serve` has an entry of its own (`serve-main.js`).
const bin = path.join(REPO_ROOT, "packages/cli/bin/poekit.js");
const bundle = pathToFileURL(path.join(REPO_ROOT, "packages/cli/dist/node-bundle/")).href;
const isAction = (url: string) => url.startsWith(bundle) && /\/[a-z-]+-action-\w+\.js$/.test(url);

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

/** What a command that only starts a server, or only prints, must not load. */
const HEAVY_PACKAGES = ["@poekit/simulator", "@poekit/simulator/exchange", "@clack/prompts", "nanospinner"];

interface Imports {
  specifiers: string[];
  urls: string[];
}

let scratch = "";
let runs = 0;

beforeAll(() => {
  buildIfStale();
  scratch = mkdtempSync(path.join(tmpdir(), "poekit-lazy-test-"));
  writeFileSync(path.join(scratch, "hooks.mjs"), RECORDING_HOOKS);
}, 120_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("poekit loads only the command that runs", () => {
  it("serve loads its own entry and the SDK: not commander, another command, the simulator, the prompts or the spinner", async () => {
    const imports = await importsOf(
      ["serve", "examples/echo", "--port", "0", "--host", "127.0.0.1", "--allow-without-key"],
      /Serving EchoBot at /,
    );
    // The recording itself works: the command's own code and the SDK were seen. Nothing else of the
    // bundle: its one file holds all serve needs.
    expect(imports.urls.filter((url) => url.startsWith(bundle))).toEqual([`${bundle}serve-main.js`]);
    expect(imports.specifiers).toContain("poekit/node");

    expect(imports.specifiers.filter((specifier) => HEAVY_PACKAGES.includes(specifier))).toEqual([]);
    // create-poekit's entry loads its prompts; only its template catalogue (create-poekit/templates) may load.
    expect(imports.specifiers.filter((specifier) => specifier === "create-poekit")).toEqual([]);
    // Nor the CLI's own modules one by one: the bundle holds them.
    expect(
      imports.urls.filter((url) => url.includes("/packages/cli/dist/") && !url.startsWith(bundle)),
    ).toEqual([]);
  });

  it("serve with an option it leaves to commander goes on to main.js and serve's action", async () => {
    const imports = await importsOf(
      ["serve", "examples/echo", "-p0", "--host", "127.0.0.1", "--allow-without-key"],
      /Serving EchoBot at /,
    );
    expect(imports.urls).toContain(`${bundle}main.js`);
    expect(imports.urls.filter(isAction).map((url) => url.slice(bundle.length))).toEqual([
      expect.stringMatching(/^serve-action-\w+\.js$/),
    ]);
  });

  it("--version and --help load no command's implementation and not the SDK", async () => {
    for (const args of [["--version"], ["--help"], ["new", "--help"]]) {
      const imports = await importsOf(args);
      expect(imports.urls).toContain(`${bundle}main.js`);
      const loaded = imports.specifiers.filter(
        (specifier) =>
          HEAVY_PACKAGES.includes(specifier) ||
          /^poekit(\/|$)/.test(specifier) ||
          specifier === "create-poekit",
      );
      expect(loaded, `poekit ${args.join(" ")}`).toEqual([]);
      expect(imports.urls.filter(isAction)).toEqual([]);
    }
  });
});

/**
 * Runs the binary with the recording hooks and returns what it imported: until it exits, or, given
 * `readyWhen`, until its stdout matches (then it is stopped).
 */
async function importsOf(args: string[], readyWhen?: RegExp): Promise<Imports> {
  runs += 1;
  const log = path.join(scratch, `imports-${runs}.tsv`);
  writeFileSync(log, "");
  const hooks = pathToFileURL(path.join(scratch, "hooks.mjs")).href;
  const register = `import { register } from "node:module"; register(${JSON.stringify(hooks)}, { data: { log: ${JSON.stringify(log)} } });`;
  const child = spawn(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(register)}`, bin, ...args],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  try {
    await untilDone(child, () => readyWhen?.test(output) === true);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  if (readyWhen === undefined) expect(child.exitCode, output).toBe(0);
  const rows = readFileSync(log, "utf8")
    .split("\n")
    .filter((row) => row !== "")
    .map((row) => row.split("\t") as [string, string]);
  return { specifiers: rows.map(([specifier]) => specifier), urls: rows.map(([, url]) => url) };
}

/** Resolves when the child exits or `ready()` holds after some output; rejects after 15 s. */
function untilDone(child: ChildProcess, ready: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("poekit neither exited nor became ready in 15 s")),
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
