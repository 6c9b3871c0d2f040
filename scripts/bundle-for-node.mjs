// Bundles the compiled SDK and CLI (dist/, from tsc) into dist/node-bundle/ of each package, for
// Node: one file per entry point plus the chunks they share. Node resolves, reads and compiles every
// module at every start, which for the SDK with zod (~170 files) and the CLI (~25 files and
// commander) was most of a start-up; a bundle loads in a fraction of that (docs/benchmarks.md,
// start-up). Other runtimes keep the SDK's separate modules, which their
// bundlers tree-shake (the Workers bundle).
//
//   node scripts/bundle-for-node.mjs           # each bundle whose package's dist/ is newer
//   node scripts/bundle-for-node.mjs --force
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Written when a bundle is complete; each bin compares its time with the last compile. */
const STAMP = ".bundled";

const BUNDLES = [
  {
    name: "poekit",
    dist: path.join(ROOT, "packages/poekit/dist"),
    // The entry points of package.json's "exports" ("node" condition), by the name their file gets,
    // and the program of the `poekit` bin (bin/poekit.js), which shares their chunks: `poekit serve`
    // runs the bot on the same code the bot's `import "poekit"` loads.
    entryPoints: {
      index: "index.js",
      node: "node/index.js",
      protocol: "protocol/index.js",
      testing: "testing/index.js",
      cli: "cli/main.js",
    },
    // zod, its one dependency, goes inside.
    external: [],
  },
  {
    name: "@poekit/cli",
    dist: path.join(ROOT, "packages/cli/dist"),
    // bin/main.js loads it; each command's action stays a chunk of its own, loaded when it runs.
    entryPoints: { main: "main.js" },
    // Only commander and picocolors go inside: the SDK must be the copy the user's bot imports, and
    // the simulator and prompts are loaded by the commands that need them.
    external: ["poekit", "@poekit/*", "create-poekit", "@clack/prompts", "nanospinner"],
  },
];

/**
 * Bundles each package whose compiled files are newer than its bundle (all with `force`). Returns
 * whether it bundled any.
 * @example
 * bundleForNode();
 */
export function bundleForNode({ force = false } = {}) {
  let bundled = false;
  for (const bundle of BUNDLES) {
    const out = path.join(bundle.dist, "node-bundle");
    if (!force && !isStale(bundle.dist, out)) continue;
    build(bundle, out);
    bundled = true;
  }
  return bundled;
}

function build(bundle, out) {
  // Loaded here: esbuild is a dev dependency, and a fresh bundle needs no bundler. Synchronous, so
  // that the tests' synchronous build step can call it.
  const { buildSync } = createRequire(import.meta.url)("esbuild");
  const entryPointsIn = (names) =>
    Object.fromEntries(Object.entries(names).map(([name, file]) => [name, path.join(bundle.dist, file)]));
  const options = {
    outdir: out,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    // CommonJS packages inside (commander) call require() for Node's own modules.
    banner: {
      js: 'import { createRequire as __poekitRequire } from "node:module"; const require = __poekitRequire(import.meta.url);',
    },
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  };
  const result = buildSync({
    ...options,
    entryPoints: entryPointsIn(bundle.entryPoints),
    external: bundle.external,
    // Shared chunks: `poekit`, `poekit/node` and the bin must hand out the same classes (instanceof
    // PoeError), and load the SDK once.
    splitting: true,
    chunkNames: "[name]-[hash]",
  });
  // Chunks are named by their content: those of earlier bundles are removed once the entries point
  // to the new ones (the folder is never empty, for a process loading it meanwhile).
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(file)));
  for (const name of readdirSync(out)) {
    const file = path.join(out, name);
    if (name === STAMP) continue;
    if (!written.has(file) && !written.has(file.replace(/\.map$/, ""))) rmSync(file, { force: true });
  }
  writeFileSync(path.join(out, STAMP), `${new Date().toISOString()}\n`);
}

function isStale(dist, out) {
  const built = mtimeOrZero(path.join(out, STAMP));
  if (built === 0) return true;
  for (const entry of readdirSync(dist, { withFileTypes: true, recursive: true })) {
    // .tsbuildinfo too: it is what bin/poekit.js compares with the bundle.
    const compiled = entry.name.endsWith(".js") || entry.name === ".tsbuildinfo";
    if (entry.parentPath.startsWith(out) || !entry.isFile() || !compiled) continue;
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
  if (bundleForNode({ force: process.argv.includes("--force") }))
    console.log("poekit: bundled the SDK and CLI for Node");
}
