import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { poekitArguments, poekitProblem } from "./check-commands.js";
import { jsonProblem } from "./check-json.js";
import type { DocProblem } from "./doc-problem.js";
import { type CodeBlock, extractCodeBlocks } from "./markdown-blocks.js";
import { shellCommands } from "./shell-commands.js";
import { collectSnippetModules, type SnippetModule } from "./snippet-modules.js";
import { type SnippetProject, typecheckSnippets } from "./typecheck-snippets.js";

/** How to check the docs: the TypeScript project around the snippets, and the CLI to parse commands with. */
export interface DocsCheckOptions extends Omit<SnippetProject, "docs"> {
  /** Doc paths relative to `root`, with forward slashes. */
  docs: readonly string[];
  /** A new instance of the CLI's commander program; called once per command line checked. */
  createCliProgram: () => Command;
}

const SHELL_LANGS = new Set(["sh", "bash", "shell", "zsh"]);
const TRANSCRIPT_LANGS = new Set(["console", "shell-session"]);
const UNCHECKED_CODE_LANGS = new Set(["js", "javascript", "jsx", "tsx", "mjs", "cjs", "mts"]);

/**
 * Checks every code block of the docs: `ts` blocks are type-checked together (one compiler run),
 * `json`/`jsonc` blocks parsed, `poekit` command lines in `sh` blocks and `console` transcripts parsed by
 * the CLI itself, and JavaScript-like blocks, which nothing could check, refused. Returns every
 * problem, ordered by doc and line.
 * @example
 * const problems = checkDocs({ ...project, docs: findDocs(root), createCliProgram: createProgram });
 * expect(problems.map(formatProblem)).toEqual([]);
 */
export function checkDocs(options: DocsCheckOptions): DocProblem[] {
  const problems: DocProblem[] = [];
  const snippetDocs: { doc: string; modules: SnippetModule[] }[] = [];
  for (const doc of options.docs) {
    const blocks = extractCodeBlocks(readFileSync(path.join(options.root, doc), "utf8"));
    const { modules, problems: moduleProblems } = collectSnippetModules(doc, blocks);
    snippetDocs.push({ doc, modules });
    problems.push(...moduleProblems);
    for (const block of blocks) problems.push(...checkBlock(doc, block, options.createCliProgram));
  }
  problems.push(...typecheckSnippets({ ...options, docs: snippetDocs }));
  return problems.sort((a, b) => a.doc.localeCompare(b.doc) || a.line - b.line);
}

function checkBlock(doc: string, block: CodeBlock, createCliProgram: () => Command): DocProblem[] {
  const at = (line: number, message: string): DocProblem => ({ doc, line: block.line + line, message });
  const problems: DocProblem[] = [];
  if (!block.closed) {
    problems.push({ doc, line: block.fenceLine, message: "This code block is never closed." });
  }
  if (UNCHECKED_CODE_LANGS.has(block.lang)) {
    problems.push({
      doc,
      line: block.fenceLine,
      message: `A "${block.lang}" block cannot be checked: write it as "ts" (JavaScript is valid TypeScript) so it is type-checked.`,
    });
  }
  if (block.lang === "json" || block.lang === "jsonc") {
    const problem = jsonProblem(block.code, { comments: block.lang === "jsonc" });
    if (problem) problems.push(at(problem.line, problem.message));
  }
  if (SHELL_LANGS.has(block.lang) || TRANSCRIPT_LANGS.has(block.lang)) {
    for (const command of shellCommands(block.code, { promptsOnly: TRANSCRIPT_LANGS.has(block.lang) })) {
      const args = poekitArguments(command.words);
      const problem = args && poekitProblem(createCliProgram(), args);
      if (problem) problems.push(at(command.line, `poekit ${args.join(" ")}: ${problem}`));
    }
  }
  return problems;
}
