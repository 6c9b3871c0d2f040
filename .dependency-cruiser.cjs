// The layers of docs/architecture.md, as rules that fail the build: `npm run deps` checks them, and so
// does scripts/dependency-rules.test.ts in the suite. Lower layers never import higher ones:
//   protocol → core → client, server → node, testing, the `serve` bin → the simulator → the CLI.
// Tests and test support may reach across layers (a protocol test may round-trip through the server);
// they are held to one rule only: no cycle. Cycles between folders are checked on the code without its
// tests, by .dependency-cruiser.folders.cjs.
const path = require("node:path");

/** Test files and what only tests import. */
const TESTS = "(\\.test\\.ts$|/test-support/|/test-fixtures/|\\.cases\\.ts$)";
const SDK = "^packages/poekit/src/";
/** A folder of the SDK, as a path pattern. */
const sdk = (...folders) => `${SDK}(${folders.join("|")})/`;
/** The SDK's entry points, one per subpath of its package.json "exports". */
const SDK_ENTRIES = `${SDK}(index|node/index|protocol/index|testing/index)\\.ts$`;
const SIMULATOR_ENTRIES = "^packages/simulator/src/(index|defaults|exchange)\\.ts$";

/** "Code of `from` imports nothing of ours but `allowed`" (test files excepted). */
function onlyImports(name, comment, from, allowed) {
  return {
    name,
    comment,
    severity: "error",
    from: { path: from, pathNot: TESTS },
    to: { path: "^(packages|examples)/", pathNot: allowed },
  };
}

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "A cycle between files, even through types only: each file must read without the ones above it.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    onlyImports(
      "protocol-imports-nothing",
      "protocol/ is the Poe protocol as data: it imports nothing else of ours.",
      sdk("protocol"),
      sdk("protocol"),
    ),
    onlyImports(
      "core-on-protocol",
      "core/ (response model, logger, settings serialization, errors, Poe's APIs) stands on protocol/ only.",
      sdk("core"),
      sdk("core", "protocol"),
    ),
    onlyImports(
      "client-on-core",
      "client/ stands on core/ and protocol/; it never imports the server.",
      sdk("client"),
      sdk("client", "core", "protocol"),
    ),
    onlyImports(
      "server-on-core",
      "server/ stands on core/ and protocol/; it never imports the client.",
      sdk("server"),
      sdk("server", "core", "protocol"),
    ),
    onlyImports(
      "node-on-server",
      "node/ adapts the server to node:http; it knows nothing of the client, the testing kit or the CLI.",
      sdk("node"),
      sdk("node", "server", "core", "protocol"),
    ),
    onlyImports(
      "testing-on-sdk",
      "testing/ drives a bot as Poe would, with the client and server below it; not node/ nor the CLI.",
      sdk("testing"),
      sdk("testing", "client", "server", "core", "protocol"),
    ),
    onlyImports(
      "serve-bin-on-sdk",
      "The SDK's `serve` bin (src/cli/) sits on node/ and server/; it is the top of the SDK package.",
      sdk("cli"),
      sdk("cli", "node", "server", "core", "protocol"),
    ),
    onlyImports(
      "sdk-stands-alone",
      "The SDK imports neither the simulator nor the CLI, which stand on it.",
      SDK,
      SDK,
    ),
    onlyImports(
      "simulator-on-sdk-entries",
      "The simulator uses the SDK as any user does: through poekit, poekit/protocol, poekit/node, poekit/testing.",
      "^packages/simulator/",
      `^packages/simulator/|${SDK_ENTRIES}`,
    ),
    {
      ...onlyImports(
        "cli-on-public-entries",
        "The CLI is on top: it reaches the SDK and the simulator through their public entry points only.",
        "^packages/cli/",
        `^packages/cli/|${SDK_ENTRIES}|${SIMULATOR_ENTRIES}`,
      ),
      // poekit-bin.ts alone also takes the types of the `serve` bin's modules, which it loads from the
      // installed poekit at run time (loading bots and .env files as `poekit serve` does).
      from: { path: "^packages/cli/", pathNot: `${TESTS}|^packages/cli/src/poekit-bin\\.ts$` },
    },
    onlyImports(
      "cli-bin-bridge",
      "poekit-bin.ts reaches the SDK's public entry points and its `serve` bin's modules, nothing else.",
      "^packages/cli/src/poekit-bin\\.ts$",
      `^packages/cli/|${SDK_ENTRIES}|${sdk("cli")}`,
    ),
    onlyImports(
      "examples-on-sdk-entries",
      "The examples show what a user writes: the SDK's public entry points only.",
      "^examples/",
      `^examples/|${SDK_ENTRIES}`,
    ),
    {
      name: "simulator-routes-on-top",
      comment:
        "The simulator's HTTP routes translate requests into its domain (conversation, query, store, …); the domain never imports a route.",
      severity: "error",
      from: {
        path: "^packages/simulator/src/",
        pathNot: `${TESTS}|^packages/simulator/src/(routes/|app\\.ts$)`,
      },
      to: { path: "^packages/simulator/src/routes/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/" },
    // Type-only imports count: they tie files together for a reader as much as values do.
    tsPreCompilationDeps: true,
    // Resolves poekit and @poekit/simulator to their sources, so the rules see across packages.
    tsConfig: { fileName: path.join(__dirname, "tsconfig.deps.json") },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs"] },
  },
};
// Not enumerable: shared with .dependency-cruiser.folders.cjs, unseen by dependency-cruiser's schema.
Object.defineProperty(module.exports, "TESTS", { value: TESTS });
