import path from "node:path";
import { build } from "esbuild";
import { BUILD_DIR, ROOT } from "./paths.js";

/** The JavaScript programs the scenarios run, built from the bench's TypeScript. */
export interface BuiltPrograms {
  /** `run()` serving examples/echo or a bench bot (bench/servers/poekit-server.ts). */
  poekitServer: string;
  /** `streamRequest` reading one answer per round (bench/clients/poekit-client.ts). */
  poekitClient: string;
  /** examples/echo as a `.js` module, for `poekit serve` of a JavaScript bot. */
  echoBotJs: string;
  /** bench/bots/busy-bot.ts as a `.js` module: a bot that computes about a millisecond per query. */
  busyBotJs: string;
  /** Runs one scenario in a process of its own (bench/lib/scenario-child.ts). */
  scenarioChild: string;
  /** Times the first text of queries sent straight and through the simulator (bench/clients/first-text-client.ts). */
  firstTextClient: string;
}

/**
 * Builds the bench's TypeScript programs into plain JavaScript with packages left as imports, so every
 * measured process runs plain node and the SDK's published build (dist), with no TypeScript loader.
 * @example
 * const programs = await buildPrograms();
 */
export async function buildPrograms(): Promise<BuiltPrograms> {
  await build({
    entryPoints: {
      "poekit-server": path.join(ROOT, "bench/servers/poekit-server.ts"),
      "poekit-client": path.join(ROOT, "bench/clients/poekit-client.ts"),
      "echo-bot": path.join(ROOT, "examples/echo/index.ts"),
      "busy-bot": path.join(ROOT, "bench/bots/busy-bot.ts"),
      "scenario-child": path.join(ROOT, "bench/lib/scenario-child.ts"),
      "first-text-client": path.join(ROOT, "bench/clients/first-text-client.ts"),
    },
    outdir: BUILD_DIR,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "silent",
  });
  return {
    poekitServer: path.join(BUILD_DIR, "poekit-server.mjs"),
    poekitClient: path.join(BUILD_DIR, "poekit-client.mjs"),
    echoBotJs: path.join(BUILD_DIR, "echo-bot.mjs"),
    busyBotJs: path.join(BUILD_DIR, "busy-bot.mjs"),
    scenarioChild: path.join(BUILD_DIR, "scenario-child.mjs"),
    firstTextClient: path.join(BUILD_DIR, "first-text-client.mjs"),
  };
}
