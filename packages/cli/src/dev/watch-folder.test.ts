import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FolderWatcher, watchFolder } from "./watch-folder.js";

const DEBOUNCE_MS = 40;

let folder: string;
let watcher: FolderWatcher | undefined;

afterEach(() => {
  watcher?.close();
  watcher = undefined;
  rmSync(folder, { recursive: true, force: true });
});

/** Watches a new folder holding `files`, recording each burst reported. */
function watchNew(files: Record<string, string>, pollMs?: number): string[][] {
  folder = mkdtempSync(path.join(tmpdir(), "poekit-watch-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), text);
  }
  const bursts: string[][] = [];
  watcher = watchFolder(folder, {
    debounceMs: DEBOUNCE_MS,
    onChange: (changed) => bursts.push(changed),
    ...(pollMs !== undefined && { pollMs }),
  });
  return bursts;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("watchFolder", () => {
  it("reports a burst of saves once, with every file changed in it, subfolders included", async () => {
    const bursts = watchNew({ "bot.ts": "1", "lib/util.ts": "1" });
    writeFileSync(path.join(folder, "bot.ts"), "2");
    writeFileSync(path.join(folder, "lib/util.ts"), "2");
    writeFileSync(path.join(folder, "bot.ts"), "3");
    await expect.poll(() => bursts).toHaveLength(1);
    expect(new Set(bursts[0])).toEqual(
      new Set([path.join(folder, "bot.ts"), path.join(folder, "lib/util.ts")]),
    );
    await pause(DEBOUNCE_MS * 3);
    expect(bursts).toHaveLength(1);
  });

  it("ignores node_modules, dist and files that are not code, such as editors' backups", async () => {
    const bursts = watchNew({ "bot.ts": "1", "node_modules/x/index.js": "1", "dist/bot.js": "1" });
    writeFileSync(path.join(folder, "node_modules/x/index.js"), "2");
    writeFileSync(path.join(folder, "dist/bot.js"), "2");
    writeFileSync(path.join(folder, "notes.txt"), "2");
    writeFileSync(path.join(folder, "bot.ts~"), "2");
    await pause(DEBOUNCE_MS * 4);
    writeFileSync(path.join(folder, "bot.ts"), "2");
    await expect.poll(() => bursts.flat()).toContain(path.join(folder, "bot.ts"));
    expect(bursts.flat()).toEqual([path.join(folder, "bot.ts")]);
  });

  it("sees a save that writes another file and renames it over the bot's", async () => {
    const bursts = watchNew({ "bot.ts": "1" });
    writeFileSync(path.join(folder, "bot.ts.tmp"), "2");
    renameSync(path.join(folder, "bot.ts.tmp"), path.join(folder, "bot.ts"));
    await expect.poll(() => bursts.flat()).toContain(path.join(folder, "bot.ts"));
    await pause(DEBOUNCE_MS * 2);
    // The folder is still watched after the file under that name was replaced.
    const before = bursts.length;
    writeFileSync(path.join(folder, "bot.ts"), "3");
    await expect.poll(() => bursts.length).toBeGreaterThan(before);
  });

  it("watches folders created after it started", async () => {
    const bursts = watchNew({ "bot.ts": "1" });
    mkdirSync(path.join(folder, "prompts"));
    await pause(DEBOUNCE_MS * 4);
    writeFileSync(path.join(folder, "prompts/system.json"), "{}");
    await expect.poll(() => bursts.flat()).toContain(path.join(folder, "prompts/system.json"));
  });
});

describe("watchFolder by polling (--poll), for folders whose changes the system does not report", () => {
  const POLL_MS = 30;

  it("reports files changed, added and removed, subfolders included, once per burst", async () => {
    const bursts = watchNew({ "bot.ts": "1", "lib/util.ts": "1", "old.ts": "1" }, POLL_MS);
    writeFileSync(path.join(folder, "bot.ts"), "22");
    writeFileSync(path.join(folder, "lib/new.ts"), "1");
    rmSync(path.join(folder, "old.ts"));
    await expect.poll(() => bursts).toHaveLength(1);
    expect(new Set(bursts[0])).toEqual(
      new Set([path.join(folder, "bot.ts"), path.join(folder, "lib/new.ts"), path.join(folder, "old.ts")]),
    );
  });

  it("sees a save that renames another file over the bot's, and ignores what is not watched", async () => {
    const bursts = watchNew({ "bot.ts": "1", "node_modules/x/index.js": "1" }, POLL_MS);
    writeFileSync(path.join(folder, "node_modules/x/index.js"), "2");
    writeFileSync(path.join(folder, "notes.txt"), "2");
    writeFileSync(path.join(folder, "bot.ts.tmp"), "2");
    renameSync(path.join(folder, "bot.ts.tmp"), path.join(folder, "bot.ts"));
    await expect.poll(() => bursts.flat()).toContain(path.join(folder, "bot.ts"));
    expect(bursts.flat()).toEqual([path.join(folder, "bot.ts")]);
  });
});
