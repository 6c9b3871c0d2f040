import { describe, expect, it } from "vitest";
import { extractCodeBlocks } from "./markdown-blocks.js";
import { collectSnippetModules } from "./snippet-modules.js";

const collect = (...lines: string[]) =>
  collectSnippetModules("docs/guide.md", extractCodeBlocks(lines.join("\n")));

describe("collectSnippetModules", () => {
  it("makes each ts or typescript block a module named after its fence line", () => {
    const { modules, problems } = collect(
      "```ts",
      "const a = 1;",
      "```",
      "",
      "```typescript",
      "const b = 2;",
      "```",
    );
    expect(problems).toEqual([]);
    expect(modules).toEqual([
      { fileName: "line-1.ts", text: "const a = 1;", docLines: [2] },
      { fileName: "line-5.ts", text: "const b = 2;", docLines: [6] },
    ]);
  });

  it("leaves other languages out", () => {
    expect(collect("```sh", "npm test", "```", "```json", "{}", "```", "```js", "1", "```").modules).toEqual(
      [],
    );
  });

  it("names a module with file=, so other blocks can import it", () => {
    const { modules } = collect(
      "```ts file=bot.ts",
      "export default 1;",
      "```",
      "```ts",
      'import bot from "./bot.js";',
      "```",
    );
    expect(modules.map((module) => module.fileName)).toEqual(["bot.ts", "line-4.ts"]);
  });

  it("appends a continues block to the previous ts block, across other blocks, keeping each line's doc line", () => {
    const { modules } = collect(
      "```ts file=bot.ts",
      "class A {}",
      "```",
      "Then:",
      "```sh",
      "npm test",
      "```",
      "```ts continues",
      "export default new A();",
      "",
      "```",
    );
    expect(modules).toEqual([
      { fileName: "bot.ts", text: "class A {}\nexport default new A();\n", docLines: [2, 9, 10] },
    ]);
  });

  it("chains continues blocks into one module", () => {
    const { modules } = collect(
      "```ts",
      "a;",
      "```",
      "```ts continues",
      "b;",
      "```",
      "```ts continues",
      "c;",
      "```",
    );
    expect(modules).toEqual([{ fileName: "line-1.ts", text: "a;\nb;\nc;", docLines: [2, 5, 8] }]);
  });

  it("refuses a continues block with nothing before it", () => {
    const { modules, problems } = collect("```json", "{}", "```", "```ts continues", "a;", "```");
    expect(modules).toEqual([]);
    expect(problems).toEqual([
      { doc: "docs/guide.md", line: 4, message: expect.stringContaining("continues nothing") },
    ]);
  });

  it("compiles a shows= block as a module of its own", () => {
    const { modules, problems } = collect("```ts shows=index.ts", "a;", "```");
    expect(problems).toEqual([]);
    expect(modules.map((module) => module.fileName)).toEqual(["line-1.ts"]);
  });

  it("refuses unknown words in the info string, such as a misspelt continues", () => {
    const { problems } = collect("```ts", "a;", "```", "```ts continue", "b;", "```");
    expect(problems).toEqual([
      { doc: "docs/guide.md", line: 4, message: expect.stringContaining('"continue"') },
    ]);
  });

  it("refuses the same file= twice, continues with file=, and file names outside the folder", () => {
    const { modules, problems } = collect(
      "```ts file=bot.ts",
      "a;",
      "```",
      "```ts file=bot.ts",
      "b;",
      "```",
      "```ts continues file=c.ts",
      "c;",
      "```",
      "```ts file=../escape.ts",
      "d;",
      "```",
      "```ts file=bot.js",
      "e;",
      "```",
    );
    expect(modules.map((module) => module.text)).toEqual(["a;"]);
    expect(problems.map((problem) => problem.line)).toEqual([4, 7, 10, 13]);
  });

  it("accepts file names in subfolders and .mts files", () => {
    const { modules, problems } = collect(
      "```ts file=src/bot.test.ts",
      "a;",
      "```",
      "```ts file=run.mts",
      "b;",
      "```",
    );
    expect(problems).toEqual([]);
    expect(modules.map((module) => module.fileName)).toEqual(["src/bot.test.ts", "run.mts"]);
  });
});
