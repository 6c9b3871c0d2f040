import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root: the nearest folder above this module whose package.json is the monorepo's.
 * Searched rather than fixed, because the bench also runs from its built copy under node_modules.
 */
function findRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(folder, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "poekit-monorepo") {
      return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error("bench: cannot find the poekit repository root.");
    folder = parent;
  }
}

/** The repository root. */
export const ROOT = findRoot();
const at = (file: string) => path.join(ROOT, file);

/** The hand-written baselines, run as they are. */
export const RAW_ECHO = at("bench/baselines/raw-echo.mjs");
export const RAW_CLIENT = at("bench/baselines/raw-client.mjs");
/** Where the bench puts the JavaScript it builds from its TypeScript (ignored by git with node_modules). */
export const BUILD_DIR = at("node_modules/.cache/poekit/bench");
/** Where each run's results go. */
export const RESULTS_DIR = at("bench/results");
/** The poekit command as npm installs it. */
export const POEKIT_CLI = at("packages/poekit/bin/poekit.js");
export const ECHO_EXAMPLE_TS = at("examples/echo/index.ts");
export const WORKER_ENTRY = at("bench/bundle/worker-entry.ts");
