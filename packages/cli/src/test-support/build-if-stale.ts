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
 * builds them all: the CLI references the other three. Then the SDK's bundle for Node, which is what
 * Node loads for `poekit` (package.json's "node" condition), when it is older than the compiled SDK.
 */
export function buildIfStale(): void {
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
  bundleForNode();
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
