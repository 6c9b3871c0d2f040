import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDocs } from "./check-docs.js";
import { type DocProblem, formatProblem } from "./doc-problem.js";
import { findDocs } from "./find-docs.js";
import { workspaceSourcePaths } from "./workspace-paths.js";

// A small repository of docs, inside this one so that packages resolve through its node_modules.
const repo = fileURLToPath(new URL("../../", import.meta.url));
const root = path.join(repo, ".poekit", `doc-snippets-test-${process.pid}`);
const outDir = path.join(root, ".poekit/doc-snippets");

const GUIDE = `# Guide

\`\`\`ts file=bot.ts
import { PoeBot } from "poekit";

export class Bot extends PoeBot {}
\`\`\`

\`\`\`ts
import { Bot } from "./bot.js";

const bot: Bot = new Bot();
const port: number = "8080";
\`\`\`

\`\`\`ts continues
export default bot;
bot.nothing();
\`\`\`

\`\`\`ts
Deno.serve(() => new Response("hi"));
export default { fetch: (request: Request, env: Env, ctx: ExecutionContext) => new Response(env.NAME) };
\`\`\`

\`\`\`json
{ "a": 1, }
\`\`\`

\`\`\`sh
npx poekit serve bot.ts    # fine
PORT=3000 poekit serv bot.ts
\`\`\`

\`\`\`js
console.log("unchecked");
\`\`\`

\`\`\`ts
const never: string = 1;
`;

function cliProgram(): Command {
  const program = new Command("poekit");
  program
    .command("serve")
    .argument("<module...>")
    .action(() => {});
  return program;
}

let problems: DocProblem[] = [];

beforeAll(() => {
  mkdirSync(path.join(root, "docs/api"), { recursive: true });
  mkdirSync(path.join(root, "docs/more"), { recursive: true });
  writeFileSync(path.join(root, "README.md"), "# Readme\n\n```ts\nexport const ok: string = `fine`;\n```\n");
  writeFileSync(path.join(root, "docs/guide.md"), GUIDE);
  writeFileSync(path.join(root, "docs/more/other.md"), "```ts\nimport { Bot } from './bot.js';\n```\n");
  writeFileSync(path.join(root, "docs/api/generated.md"), "```ts\nbroken(\n```\n");
  mkdirSync(path.join(root, "packages/sdk"), { recursive: true });
  mkdirSync(path.join(root, "packages/no-readme"), { recursive: true });
  writeFileSync(path.join(root, "packages/sdk/README.md"), "```ts\nconst wrong: number = `text`;\n```\n");
  writeFileSync(
    path.join(root, "extra.d.ts"),
    "declare const notDocs: number;\ndeclare const broken: Missing;\n",
  );
  problems = checkDocs({
    root,
    docs: findDocs(root),
    outDir,
    baseConfig: path.join(repo, "tsconfig.check.json"),
    globals: [fileURLToPath(new URL("./globals.d.ts", import.meta.url)), path.join(root, "extra.d.ts")],
    paths: workspaceSourcePaths(repo),
    createCliProgram: cliProgram,
  });
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("checkDocs", () => {
  it("reads README.md, the docs under docs/ and each package's README, but not the generated API reference", () => {
    expect(findDocs(root)).toEqual([
      "README.md",
      "docs/guide.md",
      "docs/more/other.md",
      "packages/sdk/README.md",
    ]);
  });

  it("reports every problem at its doc line, in order", () => {
    expect(problems.map(({ doc, line }) => `${doc}:${line}`)).toEqual([
      "docs/guide.md:13", // "8080" is not a number
      "docs/guide.md:18", // in the continued block: Bot has no method nothing
      "docs/guide.md:27", // trailing comma
      "docs/guide.md:32", // poekit serv
      "docs/guide.md:35", // a js block
      "docs/guide.md:39", // never closed
      "docs/guide.md:40", // a number is not a string
      "docs/more/other.md:2", // another doc's file= is not this doc's
      "extra.d.ts:2", // outside the docs, at its own file
      "packages/sdk/README.md:2", // a package's README is checked like the docs
    ]);
  });

  it("says what is wrong, in the words of the tool that found it", () => {
    const messages = problems.map(formatProblem);
    expect(messages[0]).toBe("docs/guide.md:13: Type 'string' is not assignable to type 'number'. (TS2322)");
    expect(messages[1]).toContain("Property 'nothing' does not exist on type 'Bot'.");
    expect(messages[2]).toContain("Invalid JSON");
    expect(messages[3]).toMatch(/^docs\/guide\.md:32: poekit serv bot\.ts: unknown command 'serv'/);
    expect(messages[4]).toContain('A "js" block cannot be checked');
    expect(messages[5]).toContain("never closed");
    expect(messages[7]).toContain("Cannot find module './bot.js'");
    expect(messages[8]).toBe("extra.d.ts:2: Cannot find name 'Missing'. (TS2304)");
    expect(messages[9]).toBe(
      "packages/sdk/README.md:2: Type 'string' is not assignable to type 'number'. (TS2322)",
    );
  });

  it("leaves a project that tsc reproduces: a tsconfig.json and one folder per doc", () => {
    const config = JSON.parse(readFileSync(path.join(outDir, "tsconfig.json"), "utf8"));
    expect(config.compilerOptions.paths.poekit).toEqual(["../../../../packages/poekit/src/index.ts"]);
    expect(readFileSync(path.join(outDir, "docs/guide.md/line-9.ts"), "utf8")).toBe(
      'import { Bot } from "./bot.js";\n\nconst bot: Bot = new Bot();\nconst port: number = "8080";\nexport default bot;\nbot.nothing();\n',
    );
  });
});
