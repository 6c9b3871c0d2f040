import { readFileSync, type Stats, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "./user-error.js";

/** The kinds of file `poekit serve` loads: TypeScript with Node's type stripping, JavaScript as it is. */
export const BOT_FILE_EXTENSIONS: readonly string[] = [".ts", ".mts", ".js", ".mjs"];

const INDEX_FILES = BOT_FILE_EXTENSIONS.map((extension) => `index${extension}`);
const WHAT_TO_GIVE = "give a .ts, .mts, .js or .mjs file, or a folder with an index.ts or index.js";

/** A bot module found on disk. */
export interface BotFile {
  /** Absolute path of the file to import. */
  file: string;
  /** The file as messages show it: relative to the working directory when inside it. */
  display: string;
  /** A URL-safe name for the module: its folder's name for a folder or an index file, else its base name. */
  name: string;
}

/**
 * Finds the file behind a `poekit serve` argument: the file itself, or in a folder the file named by
 * its package.json `main`, else its index.ts, index.mts, index.js or index.mjs. Throws a
 * {@link UserError} saying what to give instead when there is no such file.
 * @example
 * resolveBotFile("examples/echo"); // { file: "/…/examples/echo/index.ts", display: "examples/echo/index.ts", name: "echo" }
 */
export function resolveBotFile(given: string, cwd: string = process.cwd()): BotFile {
  const target = path.resolve(cwd, given);
  const stats = statOrUndefined(target);
  if (!stats) throw new UserError(`${given} does not exist; ${WHAT_TO_GIVE}.`);
  if (stats.isDirectory()) {
    const file =
      fileFromPackageMain(target, given) ?? firstExisting(INDEX_FILES.map((n) => path.join(target, n)));
    if (!file) {
      throw new UserError(
        `The folder ${given} has no index.ts, index.mts, index.js or index.mjs; give the bot's file instead.`,
      );
    }
    return botFile(file, cwd, path.basename(target));
  }
  checkExtension(target, given);
  return botFile(target, cwd, nameOfFile(target));
}

function fileFromPackageMain(folder: string, given: string): string | undefined {
  const manifestPath = path.join(folder, "package.json");
  let text: string;
  try {
    text = readFileSync(manifestPath, "utf8");
  } catch {
    return undefined;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${path.join(given, "package.json")} is not valid JSON (${reason}); fix it.`);
  }
  const main =
    typeof manifest === "object" && manifest !== null && "main" in manifest ? manifest.main : undefined;
  if (typeof main !== "string" || main === "") return undefined;
  const base = path.resolve(folder, main);
  // Node's own lookup for `main`: the file, the file with an extension, or a folder's index.
  const file = firstExisting([
    base,
    ...BOT_FILE_EXTENSIONS.map((extension) => base + extension),
    ...INDEX_FILES.map((name) => path.join(base, name)),
  ]);
  if (!file) {
    throw new UserError(
      `${path.join(given, "package.json")} has "main": ${JSON.stringify(main)}, but there is no such file; build the package first, or give the bot's source file.`,
    );
  }
  checkExtension(file, `The "main" of ${path.join(given, "package.json")} (${main})`);
  return file;
}

function checkExtension(file: string, subject: string): void {
  const extension = path.extname(file);
  if (!BOT_FILE_EXTENSIONS.includes(extension)) {
    const kind = extension === "" ? "has no extension" : `is a ${extension} file`;
    throw new UserError(`${subject} ${kind}, which poekit serve does not load; ${WHAT_TO_GIVE}.`);
  }
}

function botFile(file: string, cwd: string, name: string): BotFile {
  const relative = path.relative(cwd, file);
  const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return { file, display: inside ? relative : file, name: urlSafe(name) };
}

function nameOfFile(file: string): string {
  const base = path.basename(file, path.extname(file));
  return base === "index" ? path.basename(path.dirname(file)) : base;
}

function urlSafe(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._~-]+/g, "-").replace(/^-+|-+$/g, "");
  return safe === "" ? "bot" : safe;
}

function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find((candidate) => statOrUndefined(candidate)?.isFile() === true);
}

function statOrUndefined(target: string): Stats | undefined {
  try {
    return statSync(target);
  } catch {
    return undefined;
  }
}
