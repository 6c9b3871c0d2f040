import { readFileSync } from "node:fs";

/**
 * The version of this poekit, from its package.json. Two folders up from every place this code runs
 * from: src/cli, dist/cli and dist/node-bundle.
 * @example
 * sdkVersion(); // "0.1.0"
 */
export function sdkVersion(): string {
  try {
    const manifest: unknown = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    );
    const version = (manifest as { version?: unknown }).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}
