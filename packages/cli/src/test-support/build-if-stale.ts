import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * Builds the packages the `poekit` binary runs (the SDK, the simulator and the CLI) when a source
 * file is newer than their last build: spawned tests run the compiled code in dist.
 */
export function buildIfStale(): void {
  const stale = ["packages/poekit", "packages/simulator", "packages/cli"].some((pkg) => {
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
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
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
