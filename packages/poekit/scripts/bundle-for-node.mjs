// Bundles the compiled SDK (dist/, from tsc) into dist/node-bundle/ for Node: one file per entry
// point plus the chunks they share, with zod inside. Loading ~170 small modules (the SDK's and
// zod's) cost Node 20 about 110 ms of resolving, reading and compiling at every start; a bundle
// loads in a fraction of that (docs/benchmarks.md, start-up). Other runtimes keep the separate
// modules, which their bundlers tree-shake (the Workers bundle).
//
//   node packages/poekit/scripts/bundle-for-node.mjs           # when dist/ is newer than the bundle
//   node packages/poekit/scripts/bundle-for-node.mjs --force
import { readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const DIST = path.join(PACKAGE_DIR, "dist");
const OUT = path.join(DIST, "node-bundle");

/** The entry points of package.json's "exports", by the name their bundle gets. */
const ENTRIES = {
  index: path.join(DIST, "index.js"),
  node: path.join(DIST, "node/index.js"),
  testing: path.join(DIST, "testing/index.js"),
};

/**
 * Bundles when a compiled file is newer than the bundle (or `force`). Returns whether it bundled.
 * @example
 * bundleForNode();
 */
export function bundleForNode({ force = false } = {}) {
  if (!force && !isStale()) return false;
  // Loaded here: esbuild is a dev dependency, and a fresh bundle needs no bundler. Synchronous, so
  // that the tests' synchronous build step can call it.
  const { buildSync } = createRequire(import.meta.url)("esbuild");
  const result = buildSync({
    entryPoints: ENTRIES,
    outdir: OUT,
    bundle: true,
    // Shared chunks: `poekit` and `poekit/node` must hand out the same classes (instanceof PoeBot).
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Loaded on demand by toNodeHandler for handlers not made by makeApp; it stays a dependency.
    external: ["@hono/node-server"],
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  });
  // Chunks are named by their content: those of earlier bundles are removed once the entries point
  // to the new ones (the directory is never empty, for a process loading it meanwhile).
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(file)));
  for (const name of readdirSync(OUT)) {
    const file = path.join(OUT, name);
    if (!written.has(file) && !written.has(file.replace(/\.map$/, ""))) rmSync(file, { force: true });
  }
  return true;
}

function isStale() {
  const built = mtimeOrZero(path.join(OUT, "index.js"));
  if (built === 0) return true;
  for (const entry of readdirSync(DIST, { withFileTypes: true, recursive: true })) {
    if (entry.parentPath.startsWith(OUT) || !entry.isFile() || !entry.name.endsWith(".js")) continue;
    if (mtimeOrZero(path.join(entry.parentPath, entry.name)) > built) return true;
  }
  return false;
}

function mtimeOrZero(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bundled = bundleForNode({ force: process.argv.includes("--force") });
  if (bundled) console.log(`poekit: bundled for Node into ${path.relative(process.cwd(), OUT) || "."}`);
}
