// Runs `npm install` when node_modules is older than what describes it, before `npm start` and
// `npm test`. Silent when it is up to date. No dependencies: it runs before any are installed.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

const reason = whyInstall();
if (reason) {
  console.log(`ensure-deps: ${reason}; running npm install.`);
  const result = spawnSync("npm", ["install"], {
    cwd: root,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  if (result.status !== 0) {
    console.error(
      `ensure-deps: npm install failed (${result.error?.message ?? `exit code ${result.status}`}).`,
    );
    process.exit(result.status || 1);
  }
}

/** Why node_modules needs an install, or undefined when it does not. */
function whyInstall() {
  // npm writes this file at the end of every install; its time is when node_modules was last made.
  const installed = mtime(path.join(root, "node_modules/.package-lock.json"));
  if (installed === undefined) return "node_modules is missing or was not installed by npm";
  for (const file of ["package-lock.json", ...manifests()]) {
    const changed = mtime(path.join(root, file));
    if (changed !== undefined && changed > installed) return `${file} changed since the last install`;
  }
  return undefined;
}

/** package.json of the root and of every workspace (patterns are folders, or folders ending in /*). */
function manifests() {
  const rootManifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const patterns = Array.isArray(rootManifest.workspaces) ? rootManifest.workspaces : [];
  const folders = patterns.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const parent = pattern.slice(0, -2);
    try {
      return readdirSync(path.join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${parent}/${entry.name}`);
    } catch {
      return [];
    }
  });
  return ["package.json", ...folders.map((folder) => `${folder}/package.json`)];
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
