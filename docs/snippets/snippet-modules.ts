import type { DocProblem } from "./doc-problem.js";
import type { CodeBlock } from "./markdown-blocks.js";

/** A TypeScript module made of one or more `ts` blocks of a doc. */
export interface SnippetModule {
  /** Its path inside the doc's snippet folder: the `file=` name, else `line-<fence line>.ts`. */
  fileName: string;
  text: string;
  /** The doc line of each line of `text`: `docLines[0]` is the doc line of the module's first line. */
  docLines: number[];
}

/** The languages compiled as TypeScript. */
export const TYPESCRIPT_LANGS: ReadonlySet<string> = new Set(["ts", "typescript"]);

// A path inside the snippet folder: no "..", no absolute path, a TypeScript extension.
const FILE_NAME = /^(?:[\w-][\w.-]*\/)*[\w-][\w.-]*\.m?ts$/;

/**
 * Turns the `ts` blocks of one doc into modules: each block is its own module, `ts file=NAME.ts`
 * names it (so another block can import `./NAME.js`), and `ts continues` appends a block to the
 * previous `ts` block's module. `ts shows=NAME.ts` (a file as a reader finds it, which the quick
 * start's walk compares) changes nothing here. Misused info strings are problems, and the block is left out.
 * @example
 * const { modules } = collectSnippetModules("docs/guide.md", extractCodeBlocks(markdown));
 * // [{ fileName: "bot.ts", text: "…", docLines: [12, 13, …] }, …]
 */
export function collectSnippetModules(
  doc: string,
  blocks: readonly CodeBlock[],
): { modules: SnippetModule[]; problems: DocProblem[] } {
  const modules: SnippetModule[] = [];
  const problems: DocProblem[] = [];
  let previous: SnippetModule | undefined;
  for (const block of blocks) {
    if (!TYPESCRIPT_LANGS.has(block.lang)) continue;
    const fail = (message: string) => problems.push({ doc, line: block.fenceLine, message });
    const { file, continues, unknown } = readAttributes(block.attributes);
    const docLines = block.code.split("\n").map((_, at) => block.line + at);
    if (unknown.length > 0) {
      fail(
        `Unknown word${unknown.length > 1 ? "s" : ""} ${unknown.map((word) => `"${word}"`).join(", ")} in the info string: a ts block takes "file=NAME.ts", "shows=NAME.ts" or "continues".`,
      );
    } else if (continues && file !== undefined) {
      fail(`A block cannot both continue the previous one and be file=${file}: choose one.`);
    } else if (continues && previous === undefined) {
      fail("This block continues nothing: there is no ts block before it in this doc.");
    } else if (continues && previous !== undefined) {
      previous.text += `\n${block.code}`;
      previous.docLines.push(...docLines);
    } else if (file !== undefined && !FILE_NAME.test(file)) {
      fail(`file=${file} is not a file name for a TypeScript module: use a relative name ending in .ts.`);
    } else if (file !== undefined && modules.some((module) => module.fileName === file)) {
      fail(`file=${file} is already a block of this doc: use "ts continues" to add to it.`);
    } else {
      previous = { fileName: file ?? `line-${block.fenceLine}.ts`, text: block.code, docLines };
      modules.push(previous);
    }
  }
  return { modules, problems };
}

function readAttributes(attributes: readonly string[]): {
  file: string | undefined;
  continues: boolean;
  unknown: string[];
} {
  let file: string | undefined;
  let continues = false;
  const unknown: string[] = [];
  for (const attribute of attributes) {
    if (attribute.startsWith("file=")) file = attribute.slice("file=".length);
    else if (attribute === "continues") continues = true;
    else if (!attribute.startsWith("shows=")) unknown.push(attribute);
  }
  return { file, continues, unknown };
}
