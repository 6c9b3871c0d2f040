import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findDocs } from "../../../../../docs/snippets/find-docs.js";
import { extractCodeBlocks } from "../../../../../docs/snippets/markdown-blocks.js";
import { collectSnippetModules } from "../../../../../docs/snippets/snippet-modules.js";

const ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));

/** A module the docs show, as the docs' own checker reads it (docs/snippets.test.ts type-checks it). */
export interface DocSnippet {
  /** The docs that show this exact text: `["README.md", "docs/deploying.md"]`. */
  docs: string[];
  text: string;
}

/**
 * Every distinct `ts file=<fileName>` module of README.md and docs/, so that a test runs the very
 * code a reader copies: when a doc changes it, the test runs the change.
 * @example
 * docSnippets("deno.ts"); // [{ docs: ["README.md", "docs/deploying.md"], text: "import { makeApp } …" }]
 */
export function docSnippets(fileName: string): DocSnippet[] {
  const docsOf = new Map<string, string[]>();
  for (const doc of findDocs(ROOT)) {
    const blocks = extractCodeBlocks(readFileSync(path.join(ROOT, doc), "utf8"));
    for (const module of collectSnippetModules(doc, blocks).modules) {
      if (module.fileName === fileName) docsOf.set(module.text, [...(docsOf.get(module.text) ?? []), doc]);
    }
  }
  return [...docsOf].map(([text, docs]) => ({ docs, text }));
}
