// Which folders and files of a bot's project `poekit dev` watches, for both ways of watching: events
// from the system (watch-folder.ts) and polling (folder-snapshot.ts).
import { type Dirent, readdirSync } from "node:fs";
import path from "node:path";

/** Folders never watched: installed packages, version control, build output, poekit's own data. */
const IGNORED_FOLDERS = new Set(["node_modules", ".git", "dist", ".poekit"]);

/** Changes to these kinds of file reload the bot: code, and the JSON it or its tooling reads. */
const WATCHED_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".json"]);

/**
 * `root` and every folder under it, skipping the ignored ones.
 * @example
 * listFolders("examples/echo"); // ["/…/examples/echo"]
 */
export function listFolders(root: string): string[] {
  const folders: string[] = [];
  const visit = (folder: string) => {
    folders.push(folder);
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !IGNORED_FOLDERS.has(entry.name)) visit(path.join(folder, entry.name));
    }
  };
  visit(path.resolve(root));
  return folders;
}

/**
 * Code and JSON, but not the backup and swap files editors write beside them (`x.ts~`, `.x.ts.swp`).
 * @example
 * isWatchedFile("bot.ts"); // true
 * isWatchedFile("bot.ts~"); // false
 */
export function isWatchedFile(name: string): boolean {
  const base = path.basename(name);
  return WATCHED_EXTENSIONS.has(path.extname(base)) && !base.startsWith(".#");
}
