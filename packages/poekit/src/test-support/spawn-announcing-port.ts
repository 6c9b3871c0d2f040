import { type ChildProcess, spawn } from "node:child_process";
import { expect, vi } from "vitest";

/**
 * Runs a TypeScript script in a Node process of its own and waits for the `{"port":N}` line it prints
 * first. Its stderr is shown if it never does.
 * @example
 * const { child, port } = await spawnAnnouncingPort(script, { GRACE_MS: "2000" });
 */
export async function spawnAnnouncingPort(
  script: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env, NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    await vi.waitFor(() => expect(stdout, stderr).toContain('{"port":'), { timeout: 15_000 });
  } catch (error) {
    child.kill();
    throw error;
  }
  const { port } = JSON.parse(stdout.split("\n")[0] as string) as { port: number };
  return { child, port: Number(port), output: () => stdout };
}
