import { mkdirSync } from "node:fs";
import path from "node:path";
import { PACKAGES, REPO_ROOT } from "../../packages/cli/src/test-support/build-if-stale.js";
import { runShell } from "./shell.js";

/**
 * Packs the workspace packages a project installs into `dir`, as `npm run pack` does in a clone, but
 * without its build: the test builds what is stale first (buildIfStale), and packing runs no scripts.
 * Resolves with the tarballs' file names.
 */
export async function packWorkspace(dir: string, timeoutMs: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  // Absolute folders: npm reads "packages/poekit" as a GitHub repository.
  const folders = PACKAGES.map((pkg) => JSON.stringify(path.join(REPO_ROOT, pkg))).join(" ");
  const { code, output } = await runShell(
    `npm pack ${folders} --pack-destination ${JSON.stringify(dir)} --ignore-scripts --json`,
    { cwd: dir, env: {}, timeoutMs },
  );
  if (code !== 0) throw new Error(`npm pack failed:\n${output}`);
  const packed = JSON.parse(output.slice(output.search(/^\[$/m))) as { filename: string }[];
  return packed.map(({ filename }) => filename);
}
