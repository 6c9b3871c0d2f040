import { type CodeBlock, extractCodeBlocks } from "../snippets/markdown-blocks.js";
import { readInfoAttributes } from "./info-string.js";

// The fence attributes a walked doc uses (GitHub renders a block by the info string's first word):
//   ```sh                        run it in the folder the reader starts in; it must exit 0
//   ```sh cwd=my-bot             run it in my-bot/
//   ```sh background="ready at"  start it, wait for "ready at" in its output, and leave it running
//   ```sh stops="npm run dev"    first stop that background command with Ctrl-C; none of it may outlive it
//   ```sh skip="needs a Docker engine"   not run, for that reason
//   ```ts file=index.ts          write it, in the folder of the shell block before it
//   ```ts shows=index.ts         the file must be exactly this
//   ```text output               the block before printed these lines (`…`: anything within a line)
// `<placeholders>` in shell blocks get the values of placeholders.ts.

/** A code block of a step that the walk acts on, with the doc line of its first line of code. */
export type WalkBlock =
  | {
      kind: "shell";
      line: number;
      code: string;
      /** The folder it runs in, relative to where the reader starts; "" for there. */
      cwd: string;
      /** The output that says a long-running command is ready; it then runs on beside the next blocks. */
      background?: string;
      /** A background command (part of its text) that the reader stops with Ctrl-C before this block. */
      stops?: string;
      /** Why the walk does not run it. */
      skip?: string;
    }
  /** `ts file=NAME`: the reader writes this file, in the folder of the shell block before it. */
  | { kind: "file"; line: number; code: string; path: string }
  /** `ts shows=NAME`: the file as the reader finds it at this point. */
  | { kind: "shows"; line: number; code: string; path: string }
  /** `text output`: what the block before printed, `…` standing for what varies. */
  | { kind: "output"; line: number; code: string };

/** A `## N. Title` section of the doc, with its blocks in order. */
export interface Step {
  number: number;
  title: string;
  blocks: WalkBlock[];
}

const SHELL_LANGS = new Set(["sh", "bash", "shell"]);
const KNOWN: Record<string, readonly string[]> = {
  shell: ["cwd", "background", "stops", "skip"],
  ts: ["file", "shows", "continues"],
  text: ["output"],
};

/**
 * Splits a doc into its numbered steps (`## 1. Create the project`; any other `##` heading ends the
 * step before it) and reads the blocks the walk acts on. A misspelt attribute throws, with its line:
 * the walk would otherwise skip what the doc means it to do.
 * @example
 * readSteps(markdown)[0]; // { number: 1, title: "Create the project", blocks: [{ kind: "shell", … }] }
 */
export function readSteps(markdown: string): Step[] {
  const blocks = extractCodeBlocks(markdown);
  const inBlock = (line: number) =>
    blocks.some((block) => line >= block.fenceLine && line <= block.line + block.code.split("\n").length);
  const headings = markdown.split(/\r?\n/).flatMap((text, index) => {
    if (!text.startsWith("## ") || inBlock(index + 1)) return [];
    const numbered = /^## (\d+)\. (.+)$/.exec(text);
    const step: Step | null = numbered && {
      number: Number(numbered[1]),
      title: numbered[2] ?? "",
      blocks: [],
    };
    return [{ line: index + 1, step }];
  });
  let lastTs: WalkBlock | undefined;
  for (const block of blocks) {
    const step = headings.findLast((heading) => heading.line < block.fenceLine)?.step;
    if (!step) continue;
    const walkBlock = toWalkBlock(block, lastTs);
    if (block.lang === "ts" && !block.attributes.includes("continues")) lastTs = walkBlock;
    if (walkBlock) step.blocks.push(walkBlock);
  }
  return headings.flatMap((heading) => (heading.step ? [heading.step] : []));
}

/**
 * The walk's view of one block; `undefined` for blocks it does not act on, and for a `ts continues`,
 * added to the file block before it (`previousTs`) as the snippet checker compiles it.
 */
function toWalkBlock(block: CodeBlock, previousTs: WalkBlock | undefined): WalkBlock | undefined {
  const group = SHELL_LANGS.has(block.lang) ? "shell" : block.lang;
  const known = KNOWN[group];
  if (!known) return undefined;
  const attributes = readInfoAttributes(block.attributes);
  const unknown = Object.keys(attributes).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `line ${block.fenceLine}: unknown attribute ${unknown.join(", ")} (known: ${known.join(", ")})`,
    );
  }
  const { line, code } = block;
  if (group === "shell") {
    return {
      kind: "shell",
      line,
      code,
      cwd: attributes.cwd ?? "",
      ...(attributes.background !== undefined && { background: attributes.background }),
      ...(attributes.stops !== undefined && { stops: attributes.stops }),
      ...(attributes.skip !== undefined && { skip: attributes.skip }),
    };
  }
  if (group === "text") return "output" in attributes ? { kind: "output", line, code } : undefined;
  if ("continues" in attributes) {
    if (previousTs?.kind === "file") previousTs.code += `\n${code}`;
    return undefined;
  }
  if (attributes.file !== undefined) return { kind: "file", line, code, path: attributes.file };
  if (attributes.shows !== undefined) return { kind: "shows", line, code, path: attributes.shows };
  return undefined;
}
