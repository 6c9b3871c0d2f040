import { fileURLToPath } from "node:url";
import type { ServerProcess } from "./processes.js";
import { packageFile, type RuntimeBinary, requireBinary } from "./runtime-gate.js";
import { BUNDLE, serveSnippet } from "./serve-snippet.js";

const LOOPBACK = fileURLToPath(new URL("./loopback-serve.ts", import.meta.url));

/** Bun, from the `bun` dev dependency (its postinstall puts this platform's binary at bin/bun.exe). */
export const bun: RuntimeBinary = {
  name: "Bun",
  devDependency: "bun",
  platforms: "x64 or arm64, Linux, macOS or Windows",
  locate: () => packageFile("bun", "bin/bun.exe"),
};

/**
 * Serves a Bun snippet (one that calls `Bun.serve`) with examples/echo as its bot, `env` in its
 * environment and PORT set, on 127.0.0.1; no auto-install, no .env file, no transpiler cache.
 * @example
 * const server = await serveOnBun(snippet.text, { POE_ACCESS_KEY: key });
 */
export function serveOnBun(snippet: string, env: Record<string, string>): Promise<ServerProcess> {
  const binary = requireBinary(bun);
  return serveSnippet(snippet, {
    name: "Bun",
    conditions: ["bun", "node"],
    preludes: [LOOPBACK],
    command: (_folder, port) => ({
      command: binary,
      args: ["run", "--no-install", "--no-env-file", BUNDLE],
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
        DO_NOT_TRACK: "1",
        NO_COLOR: "1",
      },
    }),
  });
}
