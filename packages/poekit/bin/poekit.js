#!/usr/bin/env node
// The `poekit` command. It comes with the SDK so that `npx poekit serve bot.ts` works with only
// poekit installed; its other commands are @poekit/cli's (src/cli/main.ts). The program is compiled
// TypeScript in ../dist/cli, also bundled into ../dist/node-bundle/cli.js (it starts faster); the
// bundle is used unless a compile came after it.
import { existsSync, statSync } from "node:fs";

// Checked before anything loads: on an older Node the first failure would be a confusing one (a .ts
// bot that does not load, node:sqlite missing in the simulator).
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || major === 23 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `poekit: needs Node 22.18 or newer (the maintained lines 22, 24 and 26); this is Node ${process.version}.\n`,
  );
  process.exit(2);
}

const compiled = new URL("../dist/cli/main.js", import.meta.url);
const bundled = new URL("../dist/node-bundle/cli.js", import.meta.url);
const mtime = (relative) =>
  statSync(new URL(relative, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const bundleIsCurrent = mtime("../dist/node-bundle/.bundled") >= mtime("../dist/.tsbuildinfo");
const entry = bundleIsCurrent && existsSync(bundled) ? bundled : compiled;
if (existsSync(entry)) {
  const { main } = await import(entry.href);
  const code = await main(process.argv.slice(2));
  // Exit even if a loaded module left something running, once stderr is written out.
  if (code !== 0) process.stderr.write("", () => process.exit(code));
} else {
  process.stderr.write(
    "poekit: the poekit package is not built (its dist/cli/main.js is missing); run `npm run build`, or `npm install`, whose prepare step builds it.\n",
  );
  process.exitCode = 2;
}
