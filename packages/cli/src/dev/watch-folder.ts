import { type Dirent, type FSWatcher, readdirSync, watch } from "node:fs";
import path from "node:path";

/** Folders never watched: installed packages, version control, build output, poekit's own data. */
const IGNORED_FOLDERS = new Set(["node_modules", ".git", "dist", ".poekit"]);

/** Changes to these kinds of file reload the bot: code, and the JSON it or its tooling reads. */
const WATCHED_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".json"]);

/** How long a burst of events must be quiet before it is reported, unless told otherwise. */
export const DEFAULT_DEBOUNCE_MS = 100;

/** Options of {@link watchFolder}. */
export interface WatchFolderOptions {
  /** Called once per burst of changes with the files changed, absolute, in the order first seen. */
  onChange(files: string[]): void;
  /** Quiet time that ends a burst; default {@link DEFAULT_DEBOUNCE_MS}. */
  debounceMs?: number;
}

/** A folder being watched. */
export interface FolderWatcher {
  close(): void;
}

/**
 * Watches `root` and its subfolders (but not node_modules, .git, dist or .poekit) for changes to code
 * and JSON files, and reports each burst once it has been quiet for `debounceMs`. Every folder has a
 * watcher of its own rather than one recursive watcher, which on Linux would also watch every folder
 * of node_modules; folders that appear or vanish are picked up after each burst. Watching folders
 * rather than files also catches editors that save by writing a new file and renaming it over the old.
 * @example
 * const watcher = watchFolder("examples/echo", { onChange: (files) => console.log("changed", files) });
 * watcher.close();
 */
export function watchFolder(root: string, options: WatchFolderOptions): FolderWatcher {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const watchers = new Map<string, FSWatcher>();
  let changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = () => {
    timer = undefined;
    if (closed) return;
    syncWatchers();
    const files = [...changed];
    changed = new Set();
    if (files.length > 0) options.onChange(files);
  };

  const onEvent = (folder: string, name: string | null) => {
    if (closed) return;
    // Without a name (some platforms, some events), the folder itself stands for what changed.
    const file = name === null ? folder : path.join(folder, name);
    if (name === null || isWatchedFile(name)) changed.add(file);
    clearTimeout(timer);
    // A rename may have added or removed a folder, so a burst of them re-syncs the watchers too.
    timer = setTimeout(flush, debounceMs);
  };

  const syncWatchers = () => {
    const folders = new Set(listFolders(root));
    for (const [folder, watcher] of watchers) {
      if (!folders.has(folder)) {
        watcher.close();
        watchers.delete(folder);
      }
    }
    for (const folder of folders) {
      if (watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, (_event, name) => onEvent(folder, name));
        // A folder deleted under its watcher ends it with an error; the next sync forgets it.
        watcher.on("error", () => {
          watcher.close();
          watchers.delete(folder);
        });
        watchers.set(folder, watcher);
      } catch {
        // Gone between listing and watching: nothing to watch.
      }
    }
  };

  syncWatchers();
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/** `root` and every folder under it, skipping the ignored ones. */
function listFolders(root: string): string[] {
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

/** Code and JSON, but not the backup and swap files editors write beside them (`x.ts~`, `.x.ts.swp`). */
function isWatchedFile(name: string): boolean {
  const base = path.basename(name);
  return WATCHED_EXTENSIONS.has(path.extname(base)) && !base.startsWith(".#");
}
