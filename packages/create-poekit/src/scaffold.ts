import { readdirSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ScaffoldError } from "./errors.js";
import { type LocalManifest, type LocalPackages, useLocalPackages } from "./local-packages.js";
import { invalidPackageNameReason, packageNameFromFolder } from "./project-name.js";
import { type Template, type TemplateName, templateNamed, templatesDir } from "./templates.js";

/** What {@link createProject} needs. */
export interface CreateProjectOptions {
  /** The folder to create, or an empty one to fill; relative to `cwd`. */
  dir: string;
  /** One of `TEMPLATE_NAMES`; anything else is a {@link ScaffoldError}. */
  template: string;
  /** The package name; default made from the folder's name. */
  name?: string;
  /** Default `process.cwd()`. */
  cwd?: string;
  /** Where the templates are; default the package's own `templates` folder. */
  templatesDir?: string;
  /**
   * Packed poekit packages to depend on instead of the registry's (a folder made by `npm run pack` in
   * a clone of poekit): the tarballs by package name, from {@link findLocalPackages}.
   */
  packages?: LocalPackages;
}

/** A project that was written. */
export interface CreatedProject {
  /** Absolute path of the project's folder. */
  dir: string;
  /** Its package name. */
  name: string;
  template: TemplateName;
  /** The files written, relative to `dir`, sorted. */
  files: string[];
}

/** The folder whose files every template starts from. */
const BASE_FOLDER = "_base";

/** Files stored under another name, because npm leaves `.gitignore` out of packages. */
const STORED_NAMES: Readonly<Record<string, string>> = {
  _gitignore: ".gitignore",
  _dockerignore: ".dockerignore",
};

/** Files whose `{{placeholders}}` are filled in; the others are copied as they are. */
const FILLED_FILES = new Set(["README.md", "Dockerfile"]);

/** Entries that may already be in the folder: a freshly made git repository is still empty. */
const ALLOWED_EXISTING = new Set([".git"]);

/**
 * Writes a new bot project: the template's files, `package.json` named after the project, and the
 * README filled in. Refuses, before writing anything, an unknown template, an invalid name, or a
 * folder that exists and is not empty; each is a {@link ScaffoldError}.
 * @example
 * const project = await createProject({ dir: "my-bot", template: "llm" });
 * project.files; // [".dockerignore", ".gitignore", "Dockerfile", "README.md", "index.test.ts", …]
 */
export async function createProject(options: CreateProjectOptions): Promise<CreatedProject> {
  const template = templateNamed(options.template);
  const cwd = options.cwd ?? process.cwd();
  const dir = path.resolve(cwd, options.dir);
  const name = options.name ?? packageNameFromFolder(path.basename(dir));
  const reason = invalidPackageNameReason(name);
  if (reason !== undefined) {
    throw new ScaffoldError(
      "INVALID_NAME",
      `${JSON.stringify(name)} cannot be the project's name: ${reason}.`,
    );
  }
  const problem = folderProblem(dir, options.dir);
  if (problem) throw problem;

  const sources = await templateFiles(options.templatesDir ?? templatesDir(), template.name);
  // Everything is rendered before the first write, so that a broken template leaves no half project.
  const contents = new Map<string, string>();
  for (const [relative, source] of sources) {
    contents.set(relative, await render(relative, source, { name, template, packages: options.packages }));
  }
  await mkdir(dir, { recursive: true });
  for (const [relative, content] of contents) {
    const target = path.join(dir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    // "wx": never overwrite, even a file that appeared since the folder was checked.
    await writeFile(target, content, { flag: "wx" });
  }
  return { dir, name, template: template.name, files: [...contents.keys()].sort() };
}

/**
 * Why a project cannot be written to `dir`, or `undefined` when it can: the folder does not exist, or
 * it is empty (a `.git` alone counts as empty). Synchronous, so that a prompt can check as one types.
 * @example
 * folderProblem("/home/me/my-bot", "my-bot")?.message; // "my-bot already exists and is not empty; …"
 */
export function folderProblem(dir: string, given: string): ScaffoldError | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR") {
      return new ScaffoldError("NOT_A_FOLDER", `${given} is a file; choose a folder name for the project.`);
    }
    throw error;
  }
  if (entries.every((entry) => ALLOWED_EXISTING.has(entry))) return undefined;
  return new ScaffoldError(
    "NOT_EMPTY",
    `${given} already exists and is not empty; choose a new folder name, or empty it first.`,
  );
}

/** The project's files (relative path → template file): the base's, overlaid with the template's. */
async function templateFiles(root: string, template: TemplateName): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const folder of [BASE_FOLDER, template]) {
    const from = path.join(root, folder);
    for (const relative of await listFiles(from)) {
      const base = path.basename(relative);
      const renamed = path.join(path.dirname(relative), STORED_NAMES[base] ?? base);
      files.set(renamed.split(path.sep).join("/"), path.join(from, relative));
    }
  }
  return files;
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.isFile()) files.push(path.relative(folder, path.join(entry.parentPath, entry.name)));
  }
  return files;
}

interface RenderContext {
  name: string;
  template: Template;
  packages: LocalPackages | undefined;
}

async function render(relative: string, source: string, context: RenderContext): Promise<string> {
  const text = await readFile(source, "utf8");
  if (relative === "package.json") return renderPackageJson(text, context);
  // An empty placeholder on a line of its own would leave two blank lines.
  if (FILLED_FILES.has(relative))
    return fillPlaceholders(text, placeholderValues(context)).replace(/\n{3,}/g, "\n\n");
  return text;
}

function renderPackageJson(text: string, { name, template, packages }: RenderContext): string {
  const manifest = JSON.parse(text) as {
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  } & Record<string, unknown>;
  const scripts = { ...manifest.scripts, ...template.scripts };
  const dependencies = sortedByName({ ...manifest.dependencies, ...template.dependencies });
  const devDependencies = sortedByName({ ...manifest.devDependencies });
  // Spread first, so that each field keeps its place in the file.
  const rendered: Record<string, unknown> = { ...manifest, name };
  if (Object.keys(scripts).length > 0) rendered.scripts = scripts;
  if (Object.keys(dependencies).length > 0) rendered.dependencies = dependencies;
  if (Object.keys(devDependencies).length > 0) rendered.devDependencies = devDependencies;
  if (packages) useLocalPackages(rendered as LocalManifest, packages);
  return `${JSON.stringify(rendered, null, 2)}\n`;
}

function sortedByName(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
}

function placeholderValues({ name, template }: RenderContext): Record<string, string> {
  return {
    name,
    template: template.name,
    summary: template.summary,
    description: template.description,
    developNote: template.developNote,
  };
}

/**
 * Replaces every `{{key}}` of `text` with its value; a placeholder without a value is a bug in a
 * template, so it throws.
 * @example
 * fillPlaceholders("# {{name}}", { name: "my-bot" }); // "# my-bot"
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`The template has an unknown placeholder ${placeholder}.`);
    return value;
  });
}
