import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, REPO_ROOT } from "../test-support/build-if-stale.js";
import { startTypeChecker, type TypeChecker } from "./type-checker.js";

// The checker runs the compiled worker.
beforeAll(buildIfStale, 120_000);

// Under the repository's ignored .poekit/ folder, so that the projects find the repository's TypeScript.
const PROJECTS = path.join(REPO_ROOT, ".poekit", "type-checker-tests");

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: "ES2023",
    // Without the DOM's and Node's types, which would take TypeScript seconds to load.
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  include: ["**/*.ts"],
});

const projects: string[] = [];
const checkers: TypeChecker[] = [];

afterEach(async () => {
  await Promise.all(checkers.splice(0).map((checker) => checker.close()));
  for (const project of projects.splice(0)) rmSync(project, { recursive: true, force: true });
});

async function checkerFor(files: Record<string, string>): Promise<{ project: string; checker: TypeChecker }> {
  mkdirSync(PROJECTS, { recursive: true });
  const project = mkdtempSync(path.join(PROJECTS, "project-"));
  projects.push(project);
  for (const [name, text] of Object.entries({ "tsconfig.json": TSCONFIG, ...files })) {
    writeFileSync(path.join(project, name), text);
  }
  const started = await startTypeChecker(path.join(project, "bot.ts"), project);
  if (!("checker" in started)) throw new Error(`no checker: ${started.off}`);
  checkers.push(started.checker);
  return { project, checker: started.checker };
}

describe("the type checker of poekit dev", () => {
  it("checks what the bot imports, not the tests that still name its old code", async () => {
    const { project, checker } = await checkerFor({
      "bot.ts": `import { greeting } from "./greeting.js";\nexport const answer: string = greeting(BOT_NAME);\n`,
      "greeting.ts": `export function greeting(name: string): string {\n  return \`hello \${name}\`;\n}\n`,
      // A global the bot uses without importing it: declaration files are always checked along.
      "globals.d.ts": `declare const BOT_NAME: string;\n`,
      // The test still imports what the bot renamed: `npm test` says so, a reload must not wait for it.
      "bot.test.ts": `import { EchoBot } from "./bot.js";\nconst count: number = "three";\nexport { EchoBot, count };\n`,
    });
    expect(await checker.check()).toEqual({ errorCount: 0, diagnostics: [], files: [] });

    writeFileSync(
      path.join(project, "greeting.ts"),
      `export function greeting(name: string): string {\n  return name.length;\n}\n`,
    );
    expect(await checker.check()).toEqual({
      errorCount: 1,
      diagnostics: ["greeting.ts:2:3 - error TS2322: Type 'number' is not assignable to type 'string'."],
      files: ["greeting.ts"],
    });
  }, 30_000);
});
