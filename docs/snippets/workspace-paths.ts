import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

interface Manifest {
  name?: string;
  workspaces?: string[];
  exports?: Record<string, unknown>;
}

/**
 * Maps each export of the workspace packages to its TypeScript source (`"poekit/node"` →
 * `<root>/packages/poekit/src/node/index.ts`), found from the `types` of `package.json` "exports" with
 * dist/ read as src/. Docs are then checked against the code as it is, built or not, as the
 * tests run against it (vitest.config.ts).
 * @example
 * workspaceSourcePaths("/repo")["poekit/testing"]; // "/repo/packages/poekit/src/testing/index.ts"
 */
export function workspaceSourcePaths(root: string): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const folder of workspaceFolders(root)) {
    const manifest = readManifest(path.join(folder, "package.json"));
    if (!manifest?.name || !manifest.exports) continue;
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      const types = typesOf(target);
      if (!types?.startsWith("./dist/") || !types.endsWith(".d.ts")) continue;
      const source = path.join(folder, "src", `${types.slice("./dist/".length, -".d.ts".length)}.ts`);
      if (existsSync(source)) paths[path.posix.join(manifest.name, subpath)] = source;
    }
  }
  return paths;
}

/** The folders the root package.json's "workspaces" name; a pattern may end in one `/*`. */
function workspaceFolders(root: string): string[] {
  return (readManifest(path.join(root, "package.json"))?.workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [path.join(root, pattern)];
    const parent = path.join(root, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(parent, entry.name));
  });
}

function typesOf(target: unknown): string | undefined {
  if (typeof target === "string") return target.replace(/\.js$/, ".d.ts");
  if (
    typeof target === "object" &&
    target !== null &&
    "types" in target &&
    typeof target.types === "string"
  ) {
    return target.types;
  }
  return undefined;
}

function readManifest(file: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as Manifest;
}
