import { describe, expect, it } from "vitest";
import { extractCodeBlocks } from "./markdown-blocks.js";

describe("extractCodeBlocks", () => {
  it("reads the language and the other words of the info string", () => {
    const [block] = extractCodeBlocks("```TS file=bot.ts continues\nexport {};\n```\n");
    expect(block).toMatchObject({ lang: "ts", attributes: ["file=bot.ts", "continues"], code: "export {};" });
  });

  it("gives a block without an info string the empty language", () => {
    const [block] = extractCodeBlocks("```\npoekit serve [options] <module...>\n```");
    expect(block).toMatchObject({ lang: "", attributes: [], code: "poekit serve [options] <module...>" });
  });

  it("numbers the fence line and the first code line from 1, in document order", () => {
    const markdown = ["# Title", "", "```sh", "npm test", "```", "", "text", "~~~json", "{}", "~~~"].join(
      "\n",
    );
    expect(
      extractCodeBlocks(markdown).map(({ lang, fenceLine, line }) => ({ lang, fenceLine, line })),
    ).toEqual([
      { lang: "sh", fenceLine: 3, line: 4 },
      { lang: "json", fenceLine: 8, line: 9 },
    ]);
  });

  it("keeps empty lines inside a block, so code lines keep their doc lines", () => {
    const [block] = extractCodeBlocks("```ts\nconst a = 1;\n\nconst b = 2;\n```");
    expect(block?.code.split("\n")).toEqual(["const a = 1;", "", "const b = 2;"]);
  });

  it("removes the indentation of a fence inside a list item from its lines, and no more", () => {
    const markdown = "- item\n\n  ```ts\n  if (a) {\n    b();\n  }\n  ```\n";
    expect(extractCodeBlocks(markdown)[0]).toMatchObject({ code: "if (a) {\n  b();\n}", line: 4 });
  });

  it("closes a fence only with the same character, at least as long", () => {
    const markdown = "````md\n```ts\nnested\n```\n````\n~~~\n```\n~~~";
    expect(extractCodeBlocks(markdown).map((block) => block.code)).toEqual(["```ts\nnested\n```", "```"]);
  });

  it("marks a block the document never closes", () => {
    expect(extractCodeBlocks("```ts\nexport {};\n")[0]).toMatchObject({
      closed: false,
      code: "export {};\n",
    });
    expect(extractCodeBlocks("```ts\nexport {};\n```")[0]?.closed).toBe(true);
  });

  it("ignores inline code and indented code blocks", () => {
    expect(extractCodeBlocks("Run ```npm test``` now.\n\n    const indented = true;\n")).toEqual([]);
  });

  it("reads Windows line endings", () => {
    expect(extractCodeBlocks("```json\r\n{}\r\n```\r\n")[0]).toMatchObject({ code: "{}", line: 2 });
  });
});
