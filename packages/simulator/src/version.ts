import { createRequire } from "node:module";

/** The simulator package's version, shown on the page and by `poekit sim`. */
export const SIMULATOR_VERSION: string = (
  createRequire(import.meta.url)("../package.json") as { version: string }
).version;
