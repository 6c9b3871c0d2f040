import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

/** Folders never read: installed packages, build output, git's own. */
const SKIPPED = new Set([".git", "node_modules", "dist"]);

/**
 * The repository's files, relative to `root` with `/` separators: what git tracks plus new files it
 * does not ignore, so a file not yet added is checked too. Without git (an exported tree), every file
 * outside `.git`, `node_modules` and `dist`.
 * @example
 * repositoryFiles("/repo"); // ["README.md", "docs/protocol.md", "packages/poekit/src/index.ts", …]
 */
export function repositoryFiles(root: string): string[] {
  let listed: string[];
  try {
    const output = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
    listed = output.split("\0").filter((file) => file !== "");
  } catch {
    listed = walk(root, "");
  }
  return listed.filter((file) => !file.split("/").some((segment) => SKIPPED.has(segment))).sort();
}

function walk(root: string, folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const relative = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) files.push(...walk(root, relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}
