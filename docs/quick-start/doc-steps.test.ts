import { describe, expect, it } from "vitest";
import { readSteps } from "./doc-steps.js";

const fence = "```";
const doc = [
  "# Title",
  `${fence}sh`,
  "echo before the steps",
  fence,
  "## 1. Make it",
  `${fence}sh cwd=app background="ready to go"`,
  "npm run dev",
  fence,
  `${fence}text output`,
  "ready to go on …",
  fence,
  `${fence}text`,
  "not checked",
  fence,
  "## 2. Change it",
  `${fence}ts shows=index.ts`,
  "export {};",
  fence,
  `${fence}ts file=index.ts`,
  "export const a = 1;",
  fence,
  `${fence}ts continues`,
  "export const b = 2;",
  fence,
  `${fence}sh cwd=app stops="npm run dev" skip="needs a Docker engine"`,
  "docker build .",
  fence,
  `${fence}md`,
  "## 3. Not a heading: inside a block",
  fence,
  "## Where next",
  `${fence}sh`,
  "echo after the steps",
  fence,
].join("\n");

describe("readSteps", () => {
  it("reads the numbered steps and the blocks the walk acts on, with their lines", () => {
    expect(readSteps(doc)).toEqual([
      {
        number: 1,
        title: "Make it",
        blocks: [
          { kind: "shell", line: 7, code: "npm run dev", cwd: "app", background: "ready to go" },
          { kind: "output", line: 10, code: "ready to go on …" },
        ],
      },
      {
        number: 2,
        title: "Change it",
        blocks: [
          { kind: "shows", line: 17, code: "export {};", path: "index.ts" },
          { kind: "file", line: 20, code: "export const a = 1;\nexport const b = 2;", path: "index.ts" },
          {
            kind: "shell",
            line: 26,
            code: "docker build .",
            cwd: "app",
            stops: "npm run dev",
            skip: "needs a Docker engine",
          },
        ],
      },
    ]);
  });

  it("refuses an attribute it does not know, with the fence's line", () => {
    expect(() => readSteps(`## 1. A\n${fence}sh backgroud="ready"\nnpm start\n${fence}`)).toThrow(
      /line 2: unknown attribute backgroud/,
    );
  });
});
