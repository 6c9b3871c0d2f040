/**
 * The worker thread that type-checks what the bot runs for `poekit dev`, off the thread that proxies
 * the bot's streams. It keeps the previous program and the parsed files that did not change, so a
 * check after a save takes a fraction of the first one.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import type * as TypeScript from "typescript";
import type {
  CheckRequest,
  CheckResult,
  TypeCheckStart,
  TypeCheckWorkerData,
} from "./type-check-messages.js";

const data = workerData as TypeCheckWorkerData;
const port = parentPort;
if (!port) throw new Error("type-check-worker runs as a worker thread of poekit dev.");
const ts = createRequire(import.meta.url)(data.typescript) as typeof TypeScript;

/** A parsed file kept between checks, with what it was parsed from. */
interface CachedFile {
  hash: string;
  format: TypeScript.ResolutionMode;
  sourceFile: TypeScript.SourceFile;
}

const parsedFiles = new Map<string, CachedFile>();
let previous: TypeScript.SemanticDiagnosticsBuilderProgram | undefined;

const botFile = path.resolve(data.botFile);
const start = findConfig(botFile);
port.postMessage(start satisfies TypeCheckStart);
if (start.type === "ready") {
  port.on("message", (request: CheckRequest) => {
    const diagnostics = check(start.tsconfig);
    port.postMessage({
      type: "result",
      id: request.id,
      errorCount: diagnostics.length,
      diagnostics: diagnostics.map(format),
      files: [...new Set(diagnostics.flatMap((each) => (each.file ? [display(each.file.fileName)] : [])))],
    } satisfies CheckResult);
  });
}

/** The nearest tsconfig.json, from the bot's folder up, whose files include the bot's file. */
function findConfig(botFile: string): TypeCheckStart {
  const display = path.relative(data.cwd, botFile) || botFile;
  let folder = path.dirname(botFile);
  while (true) {
    const candidate = path.join(folder, "tsconfig.json");
    if (existsSync(candidate)) {
      const problems: TypeScript.Diagnostic[] = [];
      const parsed = parseConfig(candidate, problems);
      if (!parsed) {
        const problem = problems[0] ? flatten(problems[0]) : "it could not be read";
        return { type: "off", reason: `${path.relative(data.cwd, candidate)}: ${problem}` };
      }
      if (parsed.fileNames.some((file) => path.resolve(file) === botFile)) {
        return { type: "ready", tsconfig: candidate };
      }
    }
    const parent = path.dirname(folder);
    if (parent === folder) return { type: "off", reason: `no tsconfig.json includes ${display}` };
    folder = parent;
  }
}

function parseConfig(
  tsconfig: string,
  problems: TypeScript.Diagnostic[],
): TypeScript.ParsedCommandLine | undefined {
  return ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => problems.push(diagnostic) },
  );
}

/**
 * The errors of what the bot runs: its file and every file it imports, directly or not, checked with
 * the tsconfig's options as `tsc --noEmit -p tsconfig` would. Files of the project the bot never
 * imports (its tests, scripts) are left to `npm test` and `npm run typecheck`: a test still naming
 * what the bot just renamed must not hold the bot's reload back.
 */
function check(tsconfig: string): TypeScript.Diagnostic[] {
  const problems: TypeScript.Diagnostic[] = [];
  // Parsed again each time: the user may have added files or changed options since.
  const parsed = parseConfig(tsconfig, problems);
  if (!parsed) return problems;
  const options = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError) => {
    const text = ts.sys.readFile(fileName);
    if (text === undefined) {
      onError?.(`Cannot read file '${fileName}'.`);
      return undefined;
    }
    const hash = createHash("sha1").update(text).digest("hex");
    const format =
      typeof languageVersionOrOptions === "object" ? languageVersionOrOptions.impliedNodeFormat : undefined;
    const cached = parsedFiles.get(fileName);
    if (cached && cached.hash === hash && cached.format === format) return cached.sourceFile;
    const sourceFile = ts.createSourceFile(fileName, text, languageVersionOrOptions);
    // The builder tells changed files from unchanged ones by this version.
    (sourceFile as { version?: string }).version = hash;
    parsedFiles.set(fileName, { hash, format, sourceFile });
    return sourceFile;
  };
  // Declaration files stay roots: their globals and ambient modules reach the bot without an import.
  const roots = [botFile, ...parsed.fileNames.filter(isDeclarationFile)];
  const program = ts.createSemanticDiagnosticsBuilderProgram(roots, options, host, previous, parsed.errors);
  previous = program;
  return [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ].filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
}

/** `x.d.ts`, `x.d.mts`, `x.d.cts`, and declarations for other extensions (`styles.d.css.ts`), as TypeScript tells them. */
function isDeclarationFile(file: string): boolean {
  const base = path.basename(file);
  return /\.d\.[cm]?ts$/.test(base) || (base.endsWith(".ts") && base.includes(".d."));
}

function format(diagnostic: TypeScript.Diagnostic): string {
  const message = `error TS${diagnostic.code}: ${flatten(diagnostic)}`;
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${display(diagnostic.file.fileName)}:${line + 1}:${character + 1} - ${message}`;
}

/** A file as diagnostics name it: relative to the folder poekit dev runs in. */
function display(file: string): string {
  return path.relative(data.cwd, file) || file;
}

/** The message with its chain of reasons, each further line indented. */
function flatten(diagnostic: TypeScript.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ");
}
