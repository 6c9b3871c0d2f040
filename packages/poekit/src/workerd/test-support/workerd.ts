import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The SDK's sources: the bundle is built from them, as vitest tests them, with no build step. */
const SDK_SOURCES = fileURLToPath(new URL("../../index.ts", import.meta.url));

/**
 * The path of the workerd binary the `workerd` npm package installed, when it runs on this machine
 * (`workerd --version` succeeds); undefined otherwise.
 * @example
 * const binary = findWorkerd(); // ".../node_modules/@cloudflare/workerd-linux-64/bin/workerd"
 */
export function findWorkerd(): string | undefined {
  let binary: string;
  try {
    binary = (createRequire(import.meta.url)("workerd") as { default: string }).default;
  } catch {
    return undefined;
  }
  const probe = spawnSync(binary, ["--version"], { timeout: 10_000 });
  return probe.status === 0 ? binary : undefined;
}

/**
 * Whether the workerd tests should run here. Where the binary cannot run they fail under `CI=true`
 * (CI installs it with the dev dependencies) and are skipped elsewhere, with a notice nobody can miss.
 * @example
 * describe.runIf(workerdTestsEnabled())("in workerd", () => {});
 */
export function workerdTestsEnabled(): boolean {
  if (findWorkerd()) return true;
  if (process.env.CI === "true") return true; // starting it will fail and say why
  console.warn(
    "\n!!! workerd tests SKIPPED: the workerd binary of the `workerd` dev dependency cannot run on this machine (reinstall with `npm ci`; linux x64/arm64, macOS or Windows). They run in CI. !!!\n",
  );
  return false;
}

/** A Worker served by workerd on 127.0.0.1. */
export interface RunningWorkerd {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Stops workerd and removes its files. */
  stop(): Promise<void>;
}

/** Options of {@link startWorkerd}. */
export interface StartWorkerdOptions {
  /** The Worker's entry module (TypeScript), bundled with esbuild as Workers tooling does. */
  entry: string;
  /** Text bindings, which reach the Worker in `env`. */
  bindings?: Record<string, string>;
  /** How long workerd may take to answer its first request; default 15 s. */
  startTimeoutMs?: number;
}

/**
 * Bundles `entry` into one ES module (with `poekit` resolved to the SDK's sources), writes a workerd
 * config that serves it as a module worker on a free port of 127.0.0.1, starts `workerd serve` and
 * resolves once it answers.
 * @example
 * const worker = await startWorkerd({ entry: "worker.ts", bindings: { POE_ACCESS_KEY: key } });
 * await fetch(`${worker.url}/`);
 * await worker.stop();
 */
export async function startWorkerd(options: StartWorkerdOptions): Promise<RunningWorkerd> {
  const binary = findWorkerd();
  if (!binary) {
    throw new Error(
      "The workerd binary of the `workerd` dev dependency is missing or cannot run on this machine; reinstall with `npm ci`.",
    );
  }
  const folder = await mkdtemp(path.join(tmpdir(), "poekit-workerd-"));
  try {
    await build({
      entryPoints: [options.entry],
      outfile: path.join(folder, "worker.js"),
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      alias: { poekit: SDK_SOURCES },
      logLevel: "silent",
    });
    const port = await freePort();
    await writeFile(path.join(folder, "config.capnp"), workerdConfig(port, options.bindings ?? {}));
    const child = spawn(binary, ["serve", "config.capnp"], {
      cwd: folder,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = collectOutput(child);
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      await stopProcess(child);
      await rm(folder, { recursive: true, force: true });
    };
    try {
      await waitUntilAnswering(url, child, output, options.startTimeoutMs ?? 15_000);
    } catch (error) {
      await stop();
      throw error;
    }
    return { url, stop };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A workerd config (Cap'n Proto text) with one module worker, `worker.js` beside the config, served
 * over HTTP on 127.0.0.1:`port`.
 * @example
 * workerdConfig(8787, { POE_ACCESS_KEY: key });
 */
export function workerdConfig(port: number, bindings: Record<string, string>): string {
  const bindingList = Object.entries(bindings)
    .map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`)
    .join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "bot", worker = .bot)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "bot")],
);

const bot :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-01-01",
  bindings = [${bindingList}],
);
`;
}

/** A port nobody listens on right now (workerd cannot be asked to pick one and say which). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Keeps the last few kilobytes of what workerd prints, for error messages. */
function collectOutput(child: ChildProcess): () => string {
  let tail = "";
  const keep = (chunk: string) => {
    tail = (tail + chunk).slice(-4096);
  };
  child.stdout?.setEncoding("utf8").on("data", keep);
  child.stderr?.setEncoding("utf8").on("data", keep);
  child.on("error", (error) => keep(`\n${error.message}`));
  return () => tail.trim();
}

async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`workerd exited (${child.exitCode ?? child.signalCode}) before serving: ${output()}`);
    }
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      throw new Error(`workerd did not answer within ${timeoutMs / 1000} s: ${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}
