#!/usr/bin/env node
// The `poekit` command. The program itself is compiled TypeScript in ../dist.
import { existsSync } from "node:fs";

const entry = new URL("../dist/main.js", import.meta.url);
if (existsSync(entry)) {
  const { main } = await import(entry.href);
  const code = await main(process.argv.slice(2));
  // Exit even if a loaded module left something running, once stderr is written out.
  if (code !== 0) process.stderr.write("", () => process.exit(code));
} else {
  process.stderr.write(
    "poekit: the CLI is not built (packages/cli/dist/main.js is missing); run `npm run build`, or `npm install`, whose prepare step builds it.\n",
  );
  process.exitCode = 2;
}
