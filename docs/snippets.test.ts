import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createProgram } from "../packages/cli/src/main.js";
import { checkDocs } from "./snippets/check-docs.js";
import { type DocProblem, formatProblem } from "./snippets/doc-problem.js";
import { findDocs } from "./snippets/find-docs.js";
import { workspaceSourcePaths } from "./snippets/workspace-paths.js";

// The docs convention: every ts block type-checks, every json block parses, every poekit command line
// parses. The generated project stays in .poekit/doc-snippets/ for `npx tsc -p .poekit/doc-snippets`.
const root = fileURLToPath(new URL("../", import.meta.url));
const docs = findDocs(root);
let problems: DocProblem[] = [];

beforeAll(() => {
  problems = checkDocs({
    root,
    docs,
    outDir: path.join(root, ".poekit/doc-snippets"),
    baseConfig: path.join(root, "tsconfig.check.json"),
    globals: [fileURLToPath(new URL("./snippets/globals.d.ts", import.meta.url))],
    paths: workspaceSourcePaths(root),
    createCliProgram: createProgram,
  });
}, 120_000);

describe("the code blocks of the docs", () => {
  it.each(docs)("%s", (doc) => {
    expect(problems.filter((problem) => problem.doc === doc).map(formatProblem)).toEqual([]);
  });

  it("compile in a sound project (its tsconfig and globals.d.ts)", () => {
    expect(problems.filter((problem) => !docs.includes(problem.doc)).map(formatProblem)).toEqual([]);
  });
});
