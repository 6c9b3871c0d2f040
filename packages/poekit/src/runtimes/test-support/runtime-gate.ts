import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** A runtime binary that an npm dev dependency installs, as the test gate needs to know it. */
export interface RuntimeBinary {
  /** Its name in notices: "workerd", "Bun", "Deno". */
  name: string;
  /** The dev dependency that installs it. */
  devDependency: string;
  /** Where that package has a binary, for the notice. */
  platforms: string;
  /** The binary's path as that package installed it (it may not exist); undefined when unresolvable. */
  locate(): string | undefined;
}

const runs = new Map<string, boolean>();

/**
 * The path of `runtime`'s binary when it runs on this machine (`<binary> --version` succeeds, checked
 * once per path); undefined otherwise.
 * @example
 * findBinary(deno); // ".../node_modules/deno/deno"
 */
export function findBinary(runtime: RuntimeBinary): string | undefined {
  const binary = runtime.locate();
  if (binary === undefined) return undefined;
  let ok = runs.get(binary);
  if (ok === undefined) {
    ok = spawnSync(binary, ["--version"], { timeout: 10_000, stdio: "ignore" }).status === 0;
    runs.set(binary, ok);
  }
  return ok ? binary : undefined;
}

/**
 * Whether the tests of `runtime` should run here. Where its binary cannot run they fail under
 * `CI=true` (CI installs it with the dev dependencies), saying what is missing, and are skipped
 * elsewhere, with a notice nobody can miss.
 * @example
 * describe.runIf(runtimeTestsEnabled(bun))("on Bun", () => {});
 */
export function runtimeTestsEnabled(runtime: RuntimeBinary): boolean {
  if (findBinary(runtime)) return true;
  if (process.env.CI === "true") return true; // requireBinary fails the suite and says why
  console.warn(`\n!!! ${runtime.name} tests SKIPPED: ${missing(runtime)} They run in CI. !!!\n`);
  return false;
}

/**
 * The path of `runtime`'s binary; throws, saying what is missing, when it cannot run here.
 * @example
 * spawn(requireBinary(deno), ["run", "server.js"]);
 */
export function requireBinary(runtime: RuntimeBinary): string {
  const binary = findBinary(runtime);
  if (binary === undefined) throw new Error(missing(runtime));
  return binary;
}

function missing(runtime: RuntimeBinary): string {
  return `the ${runtime.name} binary of the \`${runtime.devDependency}\` dev dependency is missing or cannot run on this machine (reinstall with \`npm ci\`; ${runtime.platforms}).`;
}

/**
 * The path of `file` inside the installed npm package `name`; undefined when it is not installed.
 * @example
 * packageFile("deno", "deno"); // ".../node_modules/deno/deno"
 */
export function packageFile(name: string, file: string): string | undefined {
  try {
    return path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
  } catch {
    return undefined;
  }
}
