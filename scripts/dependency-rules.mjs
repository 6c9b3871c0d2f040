// Checks the layers of docs/architecture.md with dependency-cruiser: first the rules of
// .dependency-cruiser.cjs (no cycle between files; each layer imports only those below it), then the
// cycles between folders (.dependency-cruiser.folders.cjs). `npm run deps` runs it; so does
// scripts/dependency-rules.test.ts, so that a new cycle or upward import fails the suite.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DEPCRUISE = path.join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs");

/** Each run: its config, and the folders it cruises. */
const RUNS = [
  {
    config: ".dependency-cruiser.cjs",
    folders: ["packages", "examples", "scripts", "bench", "soak", "docs"],
  },
  { config: ".dependency-cruiser.folders.cjs", folders: ["packages", "examples"] },
];

/**
 * Runs both checks in `cwd` (the repository's root by default) with the repository's configs; whether
 * both passed, and what dependency-cruiser printed.
 * @example
 * const { ok, output } = checkDependencyRules();
 */
export function checkDependencyRules(cwd = ROOT, folders = undefined) {
  let ok = true;
  let output = "";
  for (const run of RUNS) {
    const args = [DEPCRUISE, "--config", path.join(ROOT, run.config), "--output-type", "err"];
    const result = spawnSync(process.execPath, [...args, "--", ...(folders ?? run.folders)], {
      cwd,
      encoding: "utf8",
    });
    ok &&= result.status === 0;
    output += `${run.config}:${result.stdout}${result.stderr}`;
  }
  return { ok, output };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ok, output } = checkDependencyRules();
  process.stdout.write(output);
  process.exitCode = ok ? 0 : 1;
}
