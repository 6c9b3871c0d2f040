// After `changeset version`, points the project template's dependencies on our own packages at the new
// versions: a project made by `npm create poekit` asks for `poekit@^0.1.0`, and on 0.x a caret range
// stops at the next minor, so a stale template would start every new project on the old release.
// `npm run version-packages` runs it; scripts/publish.test.ts fails while the two disagree.
//
//   node scripts/sync-template-versions.mjs           # rewrite the template's package.json
//   node scripts/sync-template-versions.mjs --check   # only report, exit 1 when out of date
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The template's package.json, relative to the repository root. */
const TEMPLATE = "packages/create-poekit/templates/_base/package.json";

/** Each published workspace package (packages/*) by name: its version. */
export function publishedVersions(root = ROOT) {
  const { workspaces = [] } = readJson(path.join(root, "package.json"));
  const versions = {};
  for (const folder of workspaces.filter((pattern) => pattern.startsWith("packages/"))) {
    const manifest = readJson(path.join(root, folder, "package.json"));
    if (!manifest.private) versions[manifest.name] = manifest.version;
  }
  return versions;
}

/**
 * The template's dependencies on published workspace packages whose range is not `^<version>`, as
 * `{ name, range, wanted }`.
 * @example
 * staleTemplateRanges(); // [] when in sync; [{ name: "poekit", range: "^0.1.0", wanted: "^0.2.0" }]
 */
export function staleTemplateRanges(root = ROOT) {
  const versions = publishedVersions(root);
  const template = readJson(path.join(root, TEMPLATE));
  const stale = [];
  for (const field of ["dependencies", "devDependencies", "peerDependencies"]) {
    for (const [name, range] of Object.entries(template[field] ?? {})) {
      const version = versions[name];
      if (version !== undefined && range !== `^${version}`)
        stale.push({ name, range, wanted: `^${version}` });
    }
  }
  return stale;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stale = staleTemplateRanges();
  if (process.argv.includes("--check")) {
    for (const { name, range, wanted } of stale)
      console.error(`${TEMPLATE}: ${name} is ${range}, not ${wanted}`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  if (stale.length > 0) {
    const template = readJson(path.join(ROOT, TEMPLATE));
    for (const { name, wanted } of stale) {
      for (const field of ["dependencies", "devDependencies", "peerDependencies"]) {
        if (template[field]?.[name] !== undefined) template[field][name] = wanted;
      }
    }
    writeFileSync(path.join(ROOT, TEMPLATE), `${JSON.stringify(template, null, 2)}\n`);
    console.log(`${TEMPLATE}: ${stale.map(({ name, wanted }) => `${name} ${wanted}`).join(", ")}`);
  }
}
