import { describe, expect, it, vi } from "vitest";
import { resolveTypeScriptTwin } from "./typescript-imports.js";

const notFound = () => Object.assign(new Error("Cannot find module"), { code: "ERR_MODULE_NOT_FOUND" });

/** A nextResolve that knows only the files given. */
function resolverOf(files: string[]) {
  return vi.fn((specifier: string) => {
    if (files.includes(specifier)) return { url: `file:///app/${specifier.replace(/^\.\//, "")}` };
    throw notFound();
  });
}

describe("resolveTypeScriptTwin", () => {
  const fromTs = { parentURL: "file:///app/bot.ts" };

  it("loads ./util.ts for ./util.js from a TypeScript file when there is no util.js", () => {
    const next = resolverOf(["./util.ts", "./lib.mts"]);
    expect(resolveTypeScriptTwin("./util.js", fromTs, next)).toEqual({ url: "file:///app/util.ts" });
    expect(resolveTypeScriptTwin("./lib.mjs", fromTs, next)).toEqual({ url: "file:///app/lib.mts" });
  });

  it("keeps ./util.js when it exists, and leaves JavaScript importers and packages alone", () => {
    const next = resolverOf(["./util.js", "./util.ts"]);
    expect(resolveTypeScriptTwin("./util.js", fromTs, next)).toEqual({ url: "file:///app/util.js" });
    const only = resolverOf(["./util.ts"]);
    expect(() => resolveTypeScriptTwin("./util.js", { parentURL: "file:///app/bot.js" }, only)).toThrow(
      "Cannot find module",
    );
    expect(() => resolveTypeScriptTwin("pkg/util.js", fromTs, only)).toThrow("Cannot find module");
    expect(() =>
      resolveTypeScriptTwin("./util.js", { parentURL: "file:///app/node_modules/x/a.ts" }, only),
    ).toThrow("Cannot find module");
  });

  it("throws the error about the file asked for when neither exists", () => {
    const next = vi.fn((specifier: string) => {
      throw Object.assign(new Error(`Cannot find module ${specifier}`), { code: "ERR_MODULE_NOT_FOUND" });
    });
    expect(() => resolveTypeScriptTwin("./util.js", fromTs, next)).toThrow("Cannot find module ./util.js");
  });
});
