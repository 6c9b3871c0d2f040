#!/usr/bin/env node
// `npm create poekit` runs this. The program itself is compiled TypeScript in ../dist.
import { existsSync } from "node:fs";

const entry = new URL("../dist/main.js", import.meta.url);
if (existsSync(entry)) {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  process.stderr.write(
    "create-poekit: the package is not built (dist/main.js is missing); run `npm run build` in the poekit repository.\n",
  );
  process.exitCode = 2;
}
