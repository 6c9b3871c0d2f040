import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface Found {
  root: string;
  manifest: Record<string, unknown>;
}

let found: Found | undefined;

/**
 * The folder of the CLI's package.json. Found by walking up from this module rather than by a fixed
 * `../..`: the same code runs from src/ (tests), dist/ and dist/node-bundle/ (each at its own depth).
 * @example
 * const manifest = path.join(packageRoot(), "package.json");
 */
export function packageRoot(): string {
  return find().root;
}

/** The CLI's version from its package.json, or "unknown". */
export function cliVersion(): string {
  const version = find().manifest.version;
  return typeof version === "string" ? version : "unknown";
}

/** Walks up once per process; the manifest read on the way is kept for `cliVersion`. */
function find(): Found {
  if (found !== undefined) return found;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(folder, "package.json");
    const manifest = existsSync(file) ? readManifest(file) : undefined;
    if (manifest?.name === "@poekit/cli") {
      found = { root: folder, manifest };
      return found;
    }
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error("poekit: the CLI's package.json was not found above its code.");
    folder = parent;
  }
}

function readManifest(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
