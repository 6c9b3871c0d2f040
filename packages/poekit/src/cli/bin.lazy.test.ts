import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../cli/src/test-support/build-if-stale.js";
import { POEKIT_BIN, REPO_ROOT } from "./test-support/bin-process.js";
import { importsOf } from "./test-support/record-imports.js";

// `poekit serve` is what a deployed bot starts with, and its start-up is measured: it must load the
// bin's bundle and the SDK, and nothing of the development commands.
const bundle = pathToFileURL(path.join(REPO_ROOT, "packages/poekit/dist/node-bundle/")).href;
const cli = pathToFileURL(path.join(REPO_ROOT, "packages/cli/")).href;

/** What serving must not load: a parser library, the development commands and what they use. */
const DEVELOPMENT_PACKAGES = [
  "commander",
  "@poekit/cli",
  "@poekit/cli/main",
  "@poekit/simulator",
  "@clack/prompts",
  "nanospinner",
  "picocolors",
  "tsx",
];

beforeAll(buildIfStale, 120_000);

describe("the poekit bin loads only what its command needs", () => {
  it("serve loads the SDK's bundle, and nothing of @poekit/cli, commander or tsx", async () => {
    const imports = await importsOf(
      POEKIT_BIN,
      ["serve", "examples/echo", "--port", "0", "--host", "127.0.0.1", "--allow-without-key"],
      /Serving EchoBot at /,
    );
    // The recording itself works: the bin's entry and the bot's `import "poekit"` were seen.
    expect(imports.urls).toContain(`${bundle}cli.js`);
    expect(imports.specifiers).toContain("poekit");
    expect(imports.specifiers.filter((specifier) => DEVELOPMENT_PACKAGES.includes(specifier))).toEqual([]);
    expect(imports.urls.filter((url) => url.startsWith(cli))).toEqual([]);
    // Nor the SDK's modules one by one: the bundle holds them.
    const sdk = pathToFileURL(path.join(REPO_ROOT, "packages/poekit/dist/")).href;
    expect(imports.urls.filter((url) => url.startsWith(sdk) && !url.startsWith(bundle))).toEqual([]);
  });

  it("--help and --version load neither @poekit/cli nor the SDK", async () => {
    for (const args of [["--help"], ["--version"], ["serve", "--help"]]) {
      const imports = await importsOf(POEKIT_BIN, args);
      expect(
        imports.urls.filter((url) => url.startsWith(cli)),
        args.join(" "),
      ).toEqual([]);
      expect(
        imports.specifiers.filter(
          (specifier) => DEVELOPMENT_PACKAGES.includes(specifier) || /^poekit(\/|$)/.test(specifier),
        ),
        args.join(" "),
      ).toEqual([]);
    }
  });
});
