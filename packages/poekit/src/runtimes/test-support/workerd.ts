import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { ServerProcess } from "./processes.js";
import { type RuntimeBinary, requireBinary } from "./runtime-gate.js";
import { BUNDLE, serveSnippet } from "./serve-snippet.js";

/** Cloudflare's workerd, the runtime behind Workers, from the `workerd` dev dependency. */
export const workerd: RuntimeBinary = {
  name: "workerd",
  devDependency: "workerd",
  platforms: "linux x64/arm64, macOS or Windows",
  locate() {
    try {
      // The package's main module exports the path of this platform's binary.
      return (createRequire(import.meta.url)("workerd") as { default: string }).default;
    } catch {
      return undefined;
    }
  },
};

/**
 * Serves a Worker snippet (its default export's `fetch`) as a module worker in workerd, with
 * examples/echo as its bot and `bindings` as text bindings in its `env`. Bundled with the conditions
 * Workers tooling uses. With `loopbackOutbound`, its `fetch` reaches 127.0.0.1 (a Poe stand-in) and
 * nothing else; otherwise workerd's default (public addresses only).
 * @example
 * const worker = await serveOnWorkerd(snippet.text, { POE_ACCESS_KEY: key });
 */
export function serveOnWorkerd(
  snippet: string,
  bindings: Record<string, string>,
  options: { loopbackOutbound?: boolean } = {},
): Promise<ServerProcess> {
  const binary = requireBinary(workerd);
  return serveSnippet(snippet, {
    name: "workerd",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    async command(folder, port) {
      await writeFile(path.join(folder, "config.capnp"), workerdConfig(port, bindings, options));
      return { command: binary, args: ["serve", "config.capnp"] };
    },
  });
}

/**
 * A workerd config (Cap'n Proto text) with one module worker, the bundle beside the config, served
 * over HTTP on 127.0.0.1:`port`.
 * @example
 * workerdConfig(8787, { POE_ACCESS_KEY: key });
 */
export function workerdConfig(
  port: number,
  bindings: Record<string, string>,
  options: { loopbackOutbound?: boolean } = {},
): string {
  const bindingList = Object.entries(bindings)
    .map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`)
    .join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "bot", worker = .bot)${
    // The worker's global outbound is the service named "internet"; this one allows loopback only.
    options.loopbackOutbound ? ', (name = "internet", network = (allow = ["local"]))' : ""
  }],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "bot")],
);

const bot :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "${BUNDLE}")],
  compatibilityDate = "2025-01-01",
  bindings = [${bindingList}],
);
`;
}
