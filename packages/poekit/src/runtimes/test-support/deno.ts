import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerProcess } from "./processes.js";
import { packageFile, type RuntimeBinary, requireBinary } from "./runtime-gate.js";
import { BUNDLE, serveSnippet } from "./serve-snippet.js";

const LOOPBACK = fileURLToPath(new URL("./loopback-serve.ts", import.meta.url));

/** Deno, from the `deno` dev dependency (its postinstall links this platform's binary in place). */
export const deno: RuntimeBinary = {
  name: "Deno",
  devDependency: "deno",
  platforms: "x64 or arm64, Linux with glibc, macOS or Windows",
  locate: () => packageFile("deno", process.platform === "win32" ? "deno.exe" : "deno"),
};

/**
 * Serves a Deno snippet (one that calls `Deno.serve`) with examples/echo as its bot, `env` in its
 * environment and PORT set; it may use the network on 127.0.0.1 only, and fetches nothing: no remote
 * or npm imports, no config, lock file or update check.
 * @example
 * const server = await serveOnDeno(snippet.text, { POE_ACCESS_KEY: key });
 */
export function serveOnDeno(snippet: string, env: Record<string, string>): Promise<ServerProcess> {
  const binary = requireBinary(deno);
  return serveSnippet(snippet, {
    name: "Deno",
    conditions: ["deno", "node"],
    preludes: [LOOPBACK],
    command: (folder, port) => ({
      command: binary,
      args: [
        "run",
        ...["--no-prompt", "--no-remote", "--no-npm", "--no-config", "--no-lock"],
        ...["--allow-net=127.0.0.1", "--allow-env"],
        BUNDLE,
      ],
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        DENO_DIR: path.join(folder, ".deno"),
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
      },
    }),
  });
}
