import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(`./packages/poekit/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the SDK's sources, so a change is tested without a build.
    alias: [
      { find: /^poekit\/node$/, replacement: src("node/index.ts") },
      { find: /^poekit\/protocol$/, replacement: src("protocol/index.ts") },
      { find: /^poekit\/testing$/, replacement: src("testing/index.ts") },
      { find: /^poekit$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/simulator/page/src/**/*.test.ts",
      "examples/*/*.test.ts",
      "scripts/**/*.test.ts",
      "bench/**/*.test.ts",
      "soak/**/*.test.ts",
      "docs/**/*.test.ts",
    ],
    testTimeout: 20_000,
    // Polls wait for a result over loopback and, in browser tests, a page: on a shared machine running
    // test files in parallel, vitest's default second is too short to mean failure.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 20_000,
    // The JSON report lets .ci/run print the closing "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "node_modules/.cache/poekit/vitest-results.json" }]],
  },
});
