import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/**
 * The folder of the CLI's package.json. Found by walking up from this module rather than by a fixed
 * `../..`: the same code runs from src/ (tests), dist/ and dist/node-bundle/ (each at its own depth).
 * @example
 * const manifest = path.join(packageRoot(), "package.json");
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(folder, "package.json");
    if (existsSync(manifest) && readName(manifest) === "@poekit/cli") {
      root = folder;
      return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error("poekit: the CLI's package.json was not found above its code.");
    folder = parent;
  }
}

/** The CLI's version from its package.json, or "unknown". */
export function cliVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8"));
  const version =
    typeof manifest === "object" && manifest !== null && "version" in manifest ? manifest.version : undefined;
  return typeof version === "string" ? version : "unknown";
}

function readName(manifest: string): unknown {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, "utf8"));
    return typeof parsed === "object" && parsed !== null && "name" in parsed ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}
