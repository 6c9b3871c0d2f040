// Watching by polling, for folders whose changes the system does not report: a bind mount into a
// container or a VM, a network share, where inotify stays silent. Each poll lists the watched files
// with their size and time of change, and the files whose entry differs from the last poll changed.
import { type Dirent, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { isWatchedFile, listFolders } from "./watched-files.js";

/** The watched files under a folder, each with its size and time of last change. */
export type FolderSnapshot = Map<string, string>;

/**
 * The watched files under `root` (ignored folders skipped), each with its size and change time.
 * @example
 * const before = snapshotFolder("examples/echo");
 */
export function snapshotFolder(root: string): FolderSnapshot {
  const snapshot: FolderSnapshot = new Map();
  for (const folder of listFolders(root)) {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile() || !isWatchedFile(entry.name)) continue;
      const file = path.join(folder, entry.name);
      const stats = statSync(file, { throwIfNoEntry: false });
      // A rename over the file keeps its size and may keep its time: the inode tells them apart.
      if (stats) snapshot.set(file, `${stats.size}:${stats.mtimeMs}:${stats.ino}`);
    }
  }
  return snapshot;
}

/**
 * The files added, changed or removed from `before` to `after`.
 * @example
 * changedFiles(before, snapshotFolder("examples/echo")); // ["/…/examples/echo/index.ts"]
 */
export function changedFiles(before: FolderSnapshot, after: FolderSnapshot): string[] {
  const changed: string[] = [];
  for (const [file, entry] of after) if (before.get(file) !== entry) changed.push(file);
  for (const file of before.keys()) if (!after.has(file)) changed.push(file);
  return changed;
}
