import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleForNode } from "../../../../scripts/bundle-for-node.mjs";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** The workspace packages the `poekit` binary and a generated project run, in the order npm packs them. */
export const PACKAGES = ["packages/poekit", "packages/simulator", "packages/create-poekit", "packages/cli"];

/**
 * Builds the packages whose compiled code spawned tests run (the `poekit` and `create-poekit` bins,
 * and the packed packages) when a source file is newer than their last build. `tsc -b packages/cli`
 * builds them all: the CLI references the other three. Then the bundles for Node of the SDK and the
 * CLI, which are what Node loads for `poekit` and `bin/poekit.js`, when older than their compiled code.
 * Returns whether it compiled or bundled anything. The bench and the soak call it too.
 */
export function buildIfStale(): boolean {
  const stale = PACKAGES.some((pkg) => {
    const built = mtimeOrZero(path.join(REPO_ROOT, pkg, "dist/.tsbuildinfo"));
    return newestSource(path.join(REPO_ROOT, pkg, "src")) > built;
  });
  if (stale) {
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-b", "packages/cli"],
      {
        cwd: REPO_ROOT,
        stdio: "inherit",
      },
    );
  }
  return bundleForNode() || stale;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const built = !entry.name.endsWith(".test.ts") && !entry.parentPath.includes("test-support");
    if (entry.isFile() && entry.name.endsWith(".ts") && built) {
      newest = Math.max(newest, mtimeOrZero(path.join(entry.parentPath, entry.name)));
    }
  }
  return newest;
}

function mtimeOrZero(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
