// The Node the project's own scripts run on. poekit supports the maintained Node lines; when the
// shell's node is older (or POEKIT_NODE asks for a line), the project brings that Node itself from the
// npm registry, where each release is published as an ordinary package (node-<platform>-<arch>), and
// keeps it under node_modules/.cache. No dependencies: it runs before any are installed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The oldest version poekit runs on: the first 22.x that strips TypeScript types without a flag. */
export const MIN_NODE = "22.18.0";

/** The release of each line the project tests on: CI runs the suite on the oldest and on the newest. */
export const RUNTIMES = { 22: "22.23.5", 26: "26.12.1" };
export const OLDEST_LINE = "22";
export const NEWEST_LINE = "26";

/** Whether `version` ("v22.23.5" or "22.23.5") is at least {@link MIN_NODE}. */
export function isSupported(version) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  const [minMajor, minMinor] = MIN_NODE.split(".").map(Number);
  if (major === 23) return false; // an odd line, unmaintained since 2025
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

/**
 * The node binary to run on: POEKIT_NODE's line ("22", "26", or "system" for this shell's node),
 * else this node when it is supported, else the oldest supported line, installed on first use.
 */
export function chooseNode(request = process.env.POEKIT_NODE) {
  const wanted = request?.trim();
  if (wanted && wanted !== "system") {
    if (!(wanted in RUNTIMES)) {
      throw new Error(
        `POEKIT_NODE=${wanted} is not a line the project brings; use ${Object.keys(RUNTIMES).join(", ")} or system.`,
      );
    }
    return {
      node: ensureRuntime(RUNTIMES[wanted]),
      version: `v${RUNTIMES[wanted]}`,
      reason: `POEKIT_NODE=${wanted}`,
    };
  }
  if (wanted === "system" || isSupported(process.version)) {
    return { node: process.execPath, version: process.version, reason: "this shell's node" };
  }
  const version = RUNTIMES[OLDEST_LINE];
  return {
    node: ensureRuntime(version),
    version: `v${version}`,
    reason: `this shell's node is ${process.version}, older than the ${MIN_NODE} poekit needs`,
  };
}

/** Path of the node binary of `version`, downloaded from the npm registry the first time. */
export function ensureRuntime(version) {
  const dir = path.join(root, "node_modules/.cache/poekit/node", version);
  const binary = path.join(dir, process.platform === "win32" ? "node.exe" : "bin/node");
  if (existsSync(binary)) return binary;

  const pkg = `node-${process.platform}-${process.arch}@${version}`;
  console.error(`node-runtime: fetching Node ${version} (${pkg}) from the npm registry…`);
  const work = path.join(root, "node_modules/.cache/poekit/node");
  mkdirSync(work, { recursive: true });
  const temp = mkdtempSync(path.join(work, ".download-"));
  try {
    // npm pack checks the tarball against the registry's integrity hash.
    const packed = spawnSync("npm", ["pack", pkg, "--silent", "--pack-destination", temp], {
      cwd: temp,
      encoding: "utf8",
      shell: process.platform === "win32",
    });
    const tarball = readdirSync(temp).find((name) => name.endsWith(".tgz"));
    if (packed.status !== 0 || !tarball) {
      throw new Error(`npm pack ${pkg} failed: ${(packed.stderr || packed.error?.message || "").trim()}`);
    }
    const unpacked = path.join(temp, "unpacked");
    mkdirSync(unpacked);
    const untar = spawnSync(
      "tar",
      ["-xzf", path.join(temp, tarball), "-C", unpacked, "--strip-components=1"],
      {
        encoding: "utf8",
      },
    );
    if (untar.status !== 0) throw new Error(`tar could not unpack ${tarball}: ${untar.stderr.trim()}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  if (!existsSync(binary)) throw new Error(`${pkg} holds no ${path.relative(dir, binary)}`);
  return binary;
}
