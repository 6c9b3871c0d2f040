import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SQLITE_MODULE = fileURLToPath(new URL("./sqlite.ts", import.meta.url));

/** Runs `code` as an ES module in a fresh Node (this one), where node:sqlite was never loaded. */
function runFresh(code: string) {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("loadSqlite", () => {
  it("loads node:sqlite without Node 22's experimental warning, and lets other warnings through", () => {
    const run = runFresh(`
      import { loadSqlite } from ${JSON.stringify(SQLITE_MODULE)};
      const { DatabaseSync } = loadSqlite();
      console.log(new DatabaseSync(":memory:").prepare("SELECT 1 + 1 AS two").get().two);
      process.emitWarning("something else is experimental", "ExperimentalWarning");
    `);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("2");
    expect(run.stderr).not.toContain("SQLite");
    expect(run.stderr).toContain("ExperimentalWarning: something else is experimental");
  });
});
