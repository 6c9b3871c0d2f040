#!/usr/bin/env node
// The `poekit` command. The program itself is compiled TypeScript in ../dist, also bundled into
// ../dist/node-bundle (it starts faster); the bundle is used unless a compile came after it.
// `poekit serve` starts from an entry of its own, which loads only what serving needs.
import { existsSync, statSync } from "node:fs";

const program = process.argv[2] === "serve" ? "serve-main.js" : "main.js";
const compiled = new URL(`../dist/${program}`, import.meta.url);
const bundled = new URL(`../dist/node-bundle/${program}`, import.meta.url);
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
    `poekit: the CLI is not built (packages/cli/dist/${program} is missing); run \`npm run build\`, or \`npm install\`, whose prepare step builds it.\n`,
  );
  process.exitCode = 2;
}
