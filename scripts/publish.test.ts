// What `npm publish` would upload for each published workspace package, checked before a release can
// upload it: `npm pack --dry-run --json`, run by the workspace's own npm, lists each package's files;
// the tests read that list and the package.json beside it. Nothing is written and nothing leaves the
// machine. The packages must be built: `npm test` builds them before the tests run, and a run of this
// file alone builds what is stale (buildIfStale), and the simulator's chat page when it is missing.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, REPO_ROOT } from "../packages/cli/src/test-support/build-if-stale.js";

const REPOSITORY = "https://github.com/poekit/poekit";

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
  keywords?: string[];
  engines?: { node?: string };
  publishConfig?: { access?: string; provenance?: boolean };
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  workspaces?: string[];
}

interface Packed {
  name: string;
  files: { path: string }[];
}

interface Published {
  /** The folder, relative to the repository root: `packages/poekit`. */
  folder: string;
  manifest: Manifest;
  /** The paths in the tarball, relative to the package folder. */
  files: Set<string>;
}

const packages: Published[] = [];
let scratch: string | undefined;

beforeAll(async () => {
  buildIfStale();
  const simulator = path.join(REPO_ROOT, "packages/simulator");
  if (!existsSync(path.join(simulator, "dist/page/index.html"))) {
    const { build } = await import("vite");
    await build({ configFile: path.join(simulator, "page/vite.config.ts"), logLevel: "warn" });
  }
  const folders = publishedFolders();
  const packed = JSON.parse(
    npm(["pack", "--dry-run", "--json", "--ignore-scripts", ...folders.map((f) => path.join(REPO_ROOT, f))]),
  ) as Packed[];
  for (const folder of folders) {
    const manifest = readJson<Manifest>(path.join(REPO_ROOT, folder, "package.json"));
    const pack = packed.find((entry) => entry.name === manifest.name);
    if (!pack) throw new Error(`npm pack listed no files for ${manifest.name}`);
    packages.push({ folder, manifest, files: new Set(pack.files.map((file) => file.path)) });
  }
  scratch = mkdtempSync(path.join(tmpdir(), "poekit-publish-"));
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

it("packs every workspace package that is not private, the four of poekit", () => {
  expect(packages.map((pkg) => pkg.manifest.name).sort()).toEqual([
    "@poekit/cli",
    "@poekit/simulator",
    "create-poekit",
    "poekit",
  ]);
});

describe.each(publishedFolders())("%s, as npm would publish it", (folder) => {
  const pkg = () => packages.find((entry) => entry.folder === folder) as Published;
  const files = () => [...pkg().files];

  it("ships no tests, build state, test support or fixtures", () => {
    // create-poekit's templates hold the tests of the projects it creates: those are shipped content.
    const shipped = files().filter(
      (file) => !(pkg().manifest.name === "create-poekit" && file.startsWith("templates/")),
    );
    expect(shipped.filter((file) => /\.test(-d)?\.|\.tsbuildinfo$/.test(path.posix.basename(file)))).toEqual(
      [],
    );
    expect(shipped.filter((file) => /(^|\/)(test-support|[^/]*fixtures)\//.test(file))).toEqual([]);
  });

  it("ships its README.md, CHANGELOG.md and the project's LICENSE", () => {
    expect(files()).toEqual(expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md", "LICENSE"]));
    const license = readFileSync(path.join(REPO_ROOT, folder, "LICENSE"), "utf8");
    expect(license).toBe(readFileSync(path.join(REPO_ROOT, "LICENSE"), "utf8"));
    expect(license).toContain("Copyright (c) 2026 the poekit authors");
  });

  it("ships every file its exports, main, types and bin name", () => {
    const { manifest } = pkg();
    const targets = [
      ...exportTargets(manifest.exports),
      manifest.main,
      manifest.types,
      ...(typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {})),
    ].filter((target): target is string => target !== undefined);
    expect(targets.length).toBeGreaterThan(0);
    const missing = targets.filter((target) => {
      const file = path.posix.normalize(target);
      if (!file.includes("*")) return !pkg().files.has(file);
      const pattern = new RegExp(`^${file.split("*").map(escapeRegExp).join(".+")}$`);
      return !files().some((shipped) => pattern.test(shipped));
    });
    expect(missing).toEqual([]);
  });

  it("ships the sources its source and declaration maps name, or maps that embed them", () => {
    const maps = files().filter((file) => file.endsWith(".map"));
    const unresolved = maps.flatMap((map) => {
      const {
        sources,
        sourcesContent,
        sourceRoot = "",
      } = readJson<SourceMap>(path.join(REPO_ROOT, folder, map));
      if (sourcesContent?.length === sources.length && sourcesContent.every((text) => text != null))
        return [];
      return sources
        .map((source) => path.posix.normalize(path.posix.join(path.posix.dirname(map), sourceRoot, source)))
        .filter((source) => !pkg().files.has(source))
        .map((source) => `${map} -> ${source}`);
    });
    expect(unresolved).toEqual([]);
  });

  it("says where it comes from: repository, homepage, bugs, license, engines, publishConfig", () => {
    const { manifest } = pkg();
    expect(manifest.repository).toEqual({ type: "git", url: `git+${REPOSITORY}.git`, directory: folder });
    expect(manifest.homepage).toMatch(new RegExp(`^${escapeRegExp(REPOSITORY)}[/#]`));
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(manifest.license).toBe("MIT");
    expect(manifest.keywords?.length).toBeGreaterThan(0);
    expect(manifest.engines).toEqual(readJson<Manifest>(path.join(REPO_ROOT, "package.json")).engines);
    expect(manifest.publishConfig).toEqual({ access: "public", provenance: true });
  });

  it("is a package.json npm publishes as it is, with nothing to fix up", () => {
    // npm publish runs `npm pkg fix`'s corrections (bin paths, the repository url, names, versions,
    // dependencies) and warns for each it makes; on a copy, none may change anything.
    const copy = path.join(scratch as string, folder);
    mkdirSync(copy, { recursive: true });
    copyFileSync(path.join(REPO_ROOT, folder, "package.json"), path.join(copy, "package.json"));
    npm(["pkg", "fix"], copy);
    expect(readJson(path.join(copy, "package.json"))).toEqual(pkg().manifest);
  });
});

it("ships the simulator's chat page", () => {
  const simulator = packages.find((pkg) => pkg.manifest.name === "@poekit/simulator") as Published;
  expect(simulator.files).toContain("dist/page/index.html");
});

it("keeps the project template's dependencies on the current versions", () => {
  const check = spawnSync(process.execPath, ["scripts/sync-template-versions.mjs", "--check"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  expect(check.stderr).toBe("");
  expect(check.status).toBe(0);
});

it("releases the published packages as one fixed group, which the changesets CLI accepts", () => {
  const config = readJson<{ fixed: string[][]; privatePackages: unknown }>(
    path.join(REPO_ROOT, ".changeset/config.json"),
  );
  expect(config.fixed.map((group) => [...group].sort())).toEqual([
    packages.map((pkg) => pkg.manifest.name).sort(),
  ]);
  expect(config.privatePackages).toEqual({ version: false, tag: false });
  // `status` reads and validates the config first. Since HEAD it exits 0, or 1 when the working tree
  // changed a package and no changeset says so (work in progress, not a broken config).
  const cli = path.join(REPO_ROOT, "node_modules/@changesets/cli/bin.js");
  const status = spawnSync(process.execPath, [cli, "status", "--since=HEAD"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const output = `${status.stdout}${status.stderr}`;
  if (status.status !== 0) expect(output).toMatch(/no changesets were found/);
  expect(output).not.toMatch(/validat|invalid/i);
});

interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
  sourceRoot?: string;
}

/** The package folders under packages/ that the root's workspaces name and that are not private. */
function publishedFolders(): string[] {
  const { workspaces = [] } = readJson<Manifest>(path.join(REPO_ROOT, "package.json"));
  return workspaces
    .filter((folder) => folder.startsWith("packages/") && !folder.includes("*"))
    .filter((folder) => !readJson<Manifest>(path.join(REPO_ROOT, folder, "package.json")).private);
}

/** Every file path in an "exports" value: its strings, through nested conditions and subpaths. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (Array.isArray(exports)) return exports.flatMap(exportTargets);
  if (typeof exports === "object" && exports !== null) return Object.values(exports).flatMap(exportTargets);
  return [];
}

/**
 * Runs the workspace's own npm: the one running this workspace's scripts (`npm test` sets
 * npm_execpath), on the Node running the tests; else `npm` from PATH, which scripts/with-node.mjs
 * runs on its Node.
 */
function npm(args: string[], cwd = REPO_ROOT): string {
  const cli = process.env.npm_execpath;
  const [file, argv] =
    cli && /npm-cli\.[cm]?js$/.test(cli) ? [process.execPath, [cli, ...args]] : ["npm", args];
  return execFileSync(file, argv, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    shell: process.platform === "win32" && file === "npm",
    maxBuffer: 64 * 1024 * 1024,
  });
}

function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
