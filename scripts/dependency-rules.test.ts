// The layers of docs/architecture.md hold (dependency-cruiser, rules in .dependency-cruiser.cjs), and
// the rules do catch what they forbid: run on a small tree written for the purpose, they fail.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDependencyRules } from "./dependency-rules.mjs";

describe("the dependency rules", () => {
  it("hold for the repository: no cycle between files or folders, no import upward", () => {
    const { ok, output } = checkDependencyRules();
    expect(output).not.toContain("error");
    expect(ok).toBe(true);
  }, 120_000);

  describe("on a tree that breaks them", () => {
    const root = mkdtempSync(path.join(tmpdir(), "poekit-deps-"));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    const sdk = "packages/poekit/src";
    // Two files of core/ that import each other.
    write(`${sdk}/core/a.ts`, 'import { b } from "./b.js";\nexport const a = () => b;\n');
    write(`${sdk}/core/b.ts`, 'import { a } from "./a.js";\nexport const b = () => a;\n');
    // protocol/ importing the server, the client importing the server.
    write(`${sdk}/server/bot.ts`, "export const bot = 1;\n");
    write(`${sdk}/protocol/rule.ts`, 'import { bot } from "../server/bot.js";\nexport const rule = bot;\n');
    write(`${sdk}/client/call.ts`, 'import { bot } from "../server/bot.js";\nexport const call = bot;\n');
    // The simulator past the SDK's entry points, its domain importing a route.
    write(`${sdk}/index.ts`, "export const entry = 1;\n");
    write("packages/simulator/src/routes/error.ts", "export class RouteError extends Error {}\n");
    write(
      "packages/simulator/src/conversation/talk.ts",
      'import { RouteError } from "../routes/error.js";\nimport { bot } from "../../../poekit/src/server/bot.js";\nexport const talk = [RouteError, bot];\n',
    );
    // Two folders that import each other through different files: no cycle of files, one of folders.
    write("packages/cli/src/one/x.ts", 'import { y } from "../two/y.js";\nexport const x = y;\n');
    write("packages/cli/src/one/w.ts", "export const w = 1;\n");
    write("packages/cli/src/two/y.ts", "export const y = 1;\n");
    write("packages/cli/src/two/z.ts", 'import { w } from "../one/w.js";\nexport const z = w;\n');

    let ok = true;
    let output = "";
    beforeAll(() => {
      ({ ok, output } = checkDependencyRules(root, ["packages"]));
    }, 120_000);

    it("fail", () => expect(ok).toBe(false));
    it.each([
      ["no-circular", "core/a.ts"],
      ["protocol-imports-nothing", "protocol/rule.ts → packages/poekit/src/server/bot.ts"],
      ["client-on-core", "client/call.ts → packages/poekit/src/server/bot.ts"],
      ["simulator-routes-on-top", "conversation/talk.ts → packages/simulator/src/routes/error.ts"],
      ["simulator-on-sdk-entries", "conversation/talk.ts → packages/poekit/src/server/bot.ts"],
      ["no-circular-folders", "packages/cli/src/one"],
    ])("name the broken rule %s and where: %s", (rule, where) => {
      const line = output.split("\n").find((text) => text.includes(`error ${rule}:`) && text.includes(where));
      expect(line, output).toBeDefined();
    });
  });
});
