import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { importsOf } from "../../poekit/src/cli/test-support/record-imports.js";
import { buildIfStale, REPO_ROOT } from "./test-support/build-if-stale.js";

// Start-up time is what a command loads. The CLI's bundle has each command's action as a chunk of its
// own (`dev-action-<hash>.js`), loaded when it runs.
const bin = path.join(REPO_ROOT, "packages/cli/bin/poekit-cli.js");
const bundle = pathToFileURL(path.join(REPO_ROOT, "packages/cli/dist/node-bundle/")).href;
const isAction = (url: string) => url.startsWith(bundle) && /\/[a-z-]+-action-\w+\.js$/.test(url);

/** What a command that only prints must not load. */
const HEAVY_PACKAGES = ["@poekit/simulator", "@poekit/simulator/exchange", "@clack/prompts", "nanospinner"];

beforeAll(buildIfStale, 120_000);

describe("@poekit/cli loads only the command that runs", () => {
  it("--version and --help load no command's implementation and not the SDK", async () => {
    for (const args of [["--version"], ["--help"], ["new", "--help"], ["dev", "--help"]]) {
      const imports = await importsOf(bin, args);
      expect(imports.urls).toContain(`${bundle}main.js`);
      const loaded = imports.specifiers.filter(
        (specifier) =>
          HEAVY_PACKAGES.includes(specifier) ||
          /^poekit(\/|$)/.test(specifier) ||
          specifier === "create-poekit",
      );
      expect(loaded, `poekit ${args.join(" ")}`).toEqual([]);
      expect(imports.urls.filter(isAction)).toEqual([]);
    }
  });
});
