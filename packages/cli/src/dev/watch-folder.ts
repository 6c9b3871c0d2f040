import { type FSWatcher, watch } from "node:fs";
import path from "node:path";
import { changedFiles, snapshotFolder } from "./folder-snapshot.js";
import { isWatchedFile, listFolders } from "./watched-files.js";

/** How long a burst of events must be quiet before it is reported, unless told otherwise. */
export const DEFAULT_DEBOUNCE_MS = 100;

/** Options of {@link watchFolder}. */
export interface WatchFolderOptions {
  /** Called once per burst of changes with the files changed, absolute, in the order first seen. */
  onChange(files: string[]): void;
  /** Quiet time that ends a burst; default {@link DEFAULT_DEBOUNCE_MS}. */
  debounceMs?: number;
  /**
   * Poll the folder every this many milliseconds instead of listening to the system's change events,
   * which a bind mount or a network share does not send.
   */
  pollMs?: number;
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
  if (options.pollMs !== undefined) return pollFolder(root, options.pollMs, options);
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

/**
 * Watches `root` by comparing a listing of its watched files every `pollMs`; changes found in
 * successive polls make one burst, reported once a poll finds nothing new for `debounceMs`.
 */
function pollFolder(root: string, pollMs: number, options: WatchFolderOptions): FolderWatcher {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let last = snapshotFolder(root);
  let changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const files = [...changed];
    changed = new Set();
    if (files.length > 0) options.onChange(files);
  };
  const poll = setInterval(() => {
    const next = snapshotFolder(root);
    const files = changedFiles(last, next);
    last = next;
    if (files.length === 0) return;
    for (const file of files) changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  }, pollMs);
  return {
    close: () => {
      clearInterval(poll);
      clearTimeout(timer);
    },
  };
}
