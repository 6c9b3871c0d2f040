// Bundle: makeApp and examples/echo built for Cloudflare Workers (esbuild, minified, ES modules, the
// conditions Workers tooling resolves with), and gzipped. Target: ≤ 40 kB gzip, reported every run.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { WORKER_ENTRY } from "../lib/paths.js";
import { progress, type Scenario } from "../lib/scenario.js";
import type { Row } from "../lib/verdict.js";

/** Where a bundled input came from: its package, or the SDK module, for the breakdown. */
function origin(input: string): string {
  const modules = input.lastIndexOf("node_modules/");
  if (modules !== -1) {
    const rest = input.slice(modules + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? input);
  }
  const sdk = input.indexOf("packages/poekit/dist/");
  if (sdk !== -1) return `poekit/${input.slice(sdk + "packages/poekit/dist/".length).split("/")[0]}`;
  return input;
}

const bundle: Scenario = async () => {
  const result = await build({
    entryPoints: [WORKER_ENTRY],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild produced no output.");
  const minified = output.contents.length;
  const gzipped = gzipSync(output.contents).length;

  const byOrigin = new Map<string, number>();
  for (const file of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(file.inputs)) {
      byOrigin.set(origin(input), (byOrigin.get(origin(input)) ?? 0) + bytesInOutput);
    }
  }
  const largest = [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 6);
  const breakdown = largest.map(([name, bytes]) => `${name} ${(bytes / 1000).toFixed(1)}`).join(", ");
  progress("bundle", `${(minified / 1000).toFixed(1)} kB minified, ${(gzipped / 1000).toFixed(1)} kB gzip`);
  const rows: Row[] = [
    {
      scenario: "bundle: makeApp + echo bot for Workers",
      label: "gzip size",
      unit: "kB",
      figure: gzipped / 1000,
      baseline: null,
      target: { kind: "at-most", value: 40 },
      note: `esbuild, minified, gzip level 6; ${(minified / 1000).toFixed(1)} kB minified, of which (kB, before gzip): ${breakdown}`,
    },
  ];
  return {
    rows,
    details: {
      minifiedBytes: minified,
      gzipBytes: gzipped,
      minifiedBytesByOrigin: Object.fromEntries(byOrigin),
    },
  };
};

export default bundle;
