import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { DocProblem } from "./doc-problem.js";
import type { SnippetModule } from "./snippet-modules.js";

/** What to compile: the modules of every doc, and how. */
export interface SnippetProject {
  /** The repository root; reported paths are relative to it. */
  root: string;
  /**
   * The folder the modules and their tsconfig.json are written to (emptied first). Inside the
   * repository, so `poekit`, `vitest` and `zod` resolve through its node_modules as they would in a project.
   */
  outDir: string;
  /** The tsconfig the generated one extends, for the repository's compiler options. */
  baseConfig: string;
  /** Declaration files every module sees, such as the globals of other runtimes. */
  globals: readonly string[];
  /** Package specifiers compiled from source instead of a build: `"poekit/node"` → its `.ts` file. */
  paths: Readonly<Record<string, string>>;
  docs: readonly { doc: string; modules: readonly SnippetModule[] }[];
}

/**
 * Writes every doc's modules into its own folder of `outDir` (`<outDir>/docs/guide.md/bot.ts`), with a
 * tsconfig.json that extends `baseConfig`, type-checks them all in one program, and returns each
 * error at its doc line. `npx tsc -p <outDir>` shows the same errors on the generated files.
 * @example
 * const problems = typecheckSnippets({ root, outDir, baseConfig, globals: [], paths: {}, docs });
 * // [{ doc: "docs/server.md", line: 14, message: "Cannot find name 'bot'. (TS2304)" }]
 */
export function typecheckSnippets(project: SnippetProject): DocProblem[] {
  const origins = writeModules(project);
  const configFile = path.join(project.outDir, "tsconfig.json");
  writeFileSync(configFile, `${JSON.stringify(snippetConfig(project), null, 2)}\n`);

  const problems: DocProblem[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) =>
      problems.push(toProblem(project.root, configFile, diagnostic)),
  });
  if (!parsed) return problems;
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  // skipLibCheck, the repository's choice for node_modules, would skip the globals too: check them apart.
  const globals = new Set(project.globals.map((file) => path.resolve(file)));
  const globalsProgram = ts.createProgram({
    rootNames: [...globals],
    options: { ...parsed.options, skipLibCheck: false },
    oldProgram: program,
  });
  const diagnostics = [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...fileDiagnostics(program, (file) => !globals.has(path.resolve(file))),
    ...fileDiagnostics(globalsProgram, (file) => globals.has(path.resolve(file))),
  ];
  for (const diagnostic of diagnostics) {
    const origin = diagnostic.file && origins.get(path.resolve(diagnostic.file.fileName));
    if (!origin || !diagnostic.file || diagnostic.start === undefined) {
      problems.push(toProblem(project.root, configFile, diagnostic));
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const docLine = origin.module.docLines[line] ?? origin.module.docLines.at(-1) ?? 1;
    problems.push({ doc: origin.doc, line: docLine, message: diagnosticText(diagnostic) });
  }
  return problems;
}

function fileDiagnostics(program: ts.Program, include: (fileName: string) => boolean): ts.Diagnostic[] {
  return program.getRootFileNames().flatMap((fileName) => {
    const sourceFile = program.getSourceFile(fileName);
    if (!sourceFile || !include(fileName)) return [];
    return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
  });
}

function writeModules(project: SnippetProject): Map<string, { doc: string; module: SnippetModule }> {
  rmSync(project.outDir, { recursive: true, force: true });
  const origins = new Map<string, { doc: string; module: SnippetModule }>();
  for (const { doc, modules } of project.docs) {
    for (const module of modules) {
      const file = path.resolve(project.outDir, doc, module.fileName);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${module.text}\n`);
      origins.set(file, { doc, module });
    }
  }
  mkdirSync(project.outDir, { recursive: true });
  return origins;
}

function snippetConfig(project: SnippetProject): object {
  const relative = (file: string) => toPosix(path.relative(project.outDir, file));
  return {
    extends: relative(project.baseConfig),
    compilerOptions: {
      // Every block is a module of its own, even one without an import or export.
      moduleDetection: "force",
      noEmit: true,
      paths: Object.fromEntries(
        Object.entries(project.paths).map(([specifier, file]) => [specifier, [relative(file)]]),
      ),
    },
    include: ["**/*.ts", "**/*.mts"],
    files: project.globals.map(relative),
  };
}

/** A diagnostic outside the docs (in globals.d.ts, or the project itself), at its own file. */
function toProblem(root: string, configFile: string, diagnostic: ts.Diagnostic): DocProblem {
  const { file, start } = diagnostic;
  return {
    doc: toPosix(path.relative(root, file?.fileName ?? configFile)),
    line: file && start !== undefined ? file.getLineAndCharacterOfPosition(start).line + 1 : 1,
    message: diagnosticText(diagnostic),
  };
}

function diagnosticText(diagnostic: ts.Diagnostic): string {
  return `${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ")} (TS${diagnostic.code})`;
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}
