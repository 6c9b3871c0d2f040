import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { freePort, type ServerProcess, startServerProcess } from "./processes.js";

/** The SDK's sources: bundles are built from them, as vitest tests them, with no build step. */
const SDK_SOURCES = fileURLToPath(new URL("../../index.ts", import.meta.url));
/** The bot every snippet serves in these tests, in place of the docs' `./bot.js`. */
const ECHO_BOT = fileURLToPath(new URL("../../../../../examples/echo/index.ts", import.meta.url));

/** The name of the bundle {@link serveSnippet} writes into its folder. */
export const BUNDLE = "bundle.js";

/** How a runtime serves a snippet. */
export interface SnippetRuntime {
  /** Its name in errors and in the temporary folder's name. */
  name: string;
  /** The package export conditions the runtime resolves imports with. */
  conditions: string[];
  /** The package.json fields it reads, in order; default `module`, then `main`. */
  mainFields?: string[];
  /** Modules (absolute paths) run before the snippet. */
  preludes?: string[];
  /**
   * The command that serves {@link BUNDLE} in `folder` on 127.0.0.1:`port` (its working directory is
   * `folder`, where it may write more files first).
   */
  command(folder: string, port: number): LaunchCommand | Promise<LaunchCommand>;
}

/** A command line, and its environment (default: this process's). */
export interface LaunchCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Serves a docs snippet with examples/echo as its bot: writes the snippet into a temporary folder,
 * bundles it into one ES module with esbuild (`poekit` resolved to the SDK's sources, the snippet's
 * `./bot.js` to examples/echo), and starts the runtime's command on a free port of 127.0.0.1. Nothing
 * is fetched at run time. `stop()` ends the process and removes the folder.
 * @example
 * const server = await serveSnippet(snippet.text, denoRuntime);
 * await fetch(`${server.url}/`);
 * await server.stop();
 */
export async function serveSnippet(snippet: string, runtime: SnippetRuntime): Promise<ServerProcess> {
  const folder = await mkdtemp(path.join(tmpdir(), `poekit-${runtime.name.toLowerCase()}-`));
  const removeFolder = () => rm(folder, { recursive: true, force: true });
  try {
    await bundleSnippet(folder, snippet, runtime);
    const port = await freePort();
    const { command, args, env } = await runtime.command(folder, port);
    const server = await startServerProcess({ name: runtime.name, command, args, env, cwd: folder, port });
    return {
      url: server.url,
      stop: async () => {
        await server.stop();
        await removeFolder();
      },
    };
  } catch (error) {
    await removeFolder();
    throw error;
  }
}

async function bundleSnippet(folder: string, snippet: string, runtime: SnippetRuntime): Promise<void> {
  const snippetFile = path.join(folder, "snippet.ts");
  await writeFile(snippetFile, snippet);
  let entry = snippetFile;
  if (runtime.preludes?.length) {
    // Imports run in order: every prelude, then the snippet. The preludes are copied beside it, out of
    // this package, whose "sideEffects": false would let esbuild drop a module imported for its effects.
    const files = await Promise.all(
      runtime.preludes.map(async (prelude, index) => {
        const copy = path.join(folder, `prelude-${index}.ts`);
        await copyFile(prelude, copy);
        return copy;
      }),
    );
    entry = path.join(folder, "entry.ts");
    const imports = [...files, snippetFile].map((file) => `import ${JSON.stringify(file)};`);
    await writeFile(entry, `${imports.join("\n")}\n`);
  }
  await build({
    entryPoints: [entry],
    outfile: path.join(folder, BUNDLE),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: runtime.conditions,
    mainFields: runtime.mainFields ?? ["module", "main"],
    alias: { poekit: SDK_SOURCES },
    plugins: [echoAsTheBot(snippetFile)],
    logLevel: "silent",
  });
}

/** Resolves the snippet's `./bot.js` (the docs' bot.ts, an echo bot) to examples/echo. */
function echoAsTheBot(snippetFile: string): Plugin {
  return {
    name: "examples-echo-as-the-bot",
    setup(build) {
      build.onResolve({ filter: /^\.\/bot\.js$/ }, (args) =>
        args.importer === snippetFile ? { path: ECHO_BOT } : undefined,
      );
    },
  };
}
