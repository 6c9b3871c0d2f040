import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../cli/src/test-support/build-if-stale.js";
import { ScaffoldError } from "./errors.js";
import { findLocalPackages } from "./local-packages.js";
import { createProject, fillPlaceholders, folderProblem } from "./scaffold.js";
import { TEMPLATE_NAMES, TEMPLATES } from "./templates.js";

interface Manifest {
  name: string;
  type: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;
const repoManifest = (pkg: string) =>
  readJson<Manifest & { version: string }>(path.join(REPO_ROOT, pkg, "package.json"));

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), "create-poekit-"));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe("createProject", () => {
  it.each(TEMPLATE_NAMES)(
    "writes the %s template: the base files, its bot and its tests",
    async (template) => {
      const project = await createProject({ dir: "my-bot", template, cwd });
      const expected = [
        ".dockerignore",
        ".gitignore",
        "Dockerfile",
        "README.md",
        "index.test.ts",
        "index.ts",
        "package.json",
        "tsconfig.json",
      ];
      expect(project).toEqual({ dir: path.join(cwd, "my-bot"), name: "my-bot", template, files: expected });
      expect(readdirSync(project.dir).sort()).toEqual(expected);
      const templateDir = path.join(REPO_ROOT, "packages/create-poekit/templates", template);
      expect(readFileSync(path.join(project.dir, "index.ts"), "utf8")).toBe(
        readFileSync(path.join(templateDir, "index.ts"), "utf8"),
      );
      expect(readFileSync(path.join(project.dir, ".gitignore"), "utf8")).toContain("node_modules/");
    },
  );

  it.each(TEMPLATE_NAMES)(
    "fills in the name and the description of %s in the README and the Dockerfile",
    async (template) => {
      const project = await createProject({ dir: "weather", template, cwd });
      const readme = readFileSync(path.join(project.dir, "README.md"), "utf8");
      expect(readme).toMatch(/^# weather\n/);
      expect(readme).toContain(TEMPLATES[template].description);
      expect(readme).toContain(`from the \`${template}\` template: it ${TEMPLATES[template].summary}.`);
      expect(readme).toContain("npx wrangler deploy worker.ts --name weather");
      expect(readme).not.toContain("{{");
      const dockerfile = readFileSync(path.join(project.dir, "Dockerfile"), "utf8");
      expect(dockerfile).toContain("docker build -t weather .");
      expect(dockerfile).not.toContain("{{");
    },
  );

  it("names the package after the folder, with the scripts and the dependencies of a poekit project", async () => {
    const project = await createProject({ dir: "bots/My Weather Bot", template: "echo", cwd });
    const manifest = readJson<Manifest>(path.join(project.dir, "package.json"));
    expect(manifest.name).toBe("my-weather-bot");
    expect(Object.keys(manifest)[0]).toBe("name");
    expect(manifest.type).toBe("module");
    expect(manifest.scripts).toEqual({
      dev: "poekit dev .",
      start: "poekit serve .",
      test: "vitest run",
      typecheck: "tsc --noEmit",
    });
    // A production install (npm ci --omit=dev) is the SDK alone: the rest is development tooling.
    expect(Object.keys(manifest.dependencies)).toEqual(["poekit"]);
    expect(Object.keys(manifest.devDependencies)).toContain("@poekit/cli");
  });

  it("depends on the current poekit and @poekit/cli, and on the tools at the versions the repository uses", async () => {
    const project = await createProject({ dir: "my-bot", template: "echo", cwd });
    const manifest = readJson<Manifest>(path.join(project.dir, "package.json"));
    expect(manifest.dependencies).toEqual({ poekit: `^${repoManifest("packages/poekit").version}` });
    const tools = repoManifest(".").devDependencies;
    expect(manifest.devDependencies).toEqual({
      "@poekit/cli": `^${repoManifest("packages/cli").version}`,
      "@types/node": tools["@types/node"],
      typescript: tools.typescript,
      vitest: tools.vitest,
    });
  });

  it.each(["llm", "function-calling"] as const)(
    "makes npm run dev of %s answer its model calls offline, and says so in the README",
    async (template) => {
      const project = await createProject({ dir: "model", template, cwd });
      const manifest = readJson<Manifest>(path.join(project.dir, "package.json"));
      expect(manifest.scripts.dev).toBe("poekit dev . --alias GPT-4o-Mini=ScriptedLLM");
      expect(manifest.scripts.start).toBe("poekit serve .");
      const readme = readFileSync(path.join(project.dir, "README.md"), "utf8");
      expect(readme).toContain(
        "`npx poekit dev --help` shows its options.\n\nIn `npm run dev`, GPT-4o-Mini is the simulator's scripted model",
      );
    },
  );

  it("leaves no empty paragraph where a template has no note", async () => {
    const project = await createProject({ dir: "plain", template: "echo", cwd });
    const readme = readFileSync(path.join(project.dir, "README.md"), "utf8");
    expect(readme).toContain("shows its options.\n\n## Test\n");
    expect(readme).not.toMatch(/\n\n\n/);
  });

  it("adds zod, at poekit's own range, to the function-calling template only", async () => {
    const project = await createProject({ dir: "tools", template: "function-calling", cwd });
    const manifest = readJson<Manifest>(path.join(project.dir, "package.json"));
    expect(manifest.dependencies.zod).toBe(repoManifest("packages/poekit").dependencies.zod);
    expect(Object.keys(manifest.dependencies)).toEqual(["poekit", "zod"]);
    for (const template of TEMPLATE_NAMES.filter((name) => name !== "function-calling")) {
      expect(TEMPLATES[template].dependencies).toEqual({});
    }
  });

  it("depends on packed tarballs with --packages, every poekit package pinned through overrides", async () => {
    const packs = path.join(cwd, "packs");
    mkdirSync(packs);
    for (const file of [
      "poekit-0.1.0.tgz",
      "poekit-cli-0.1.0.tgz",
      "poekit-simulator-0.1.0.tgz",
      "create-poekit-0.1.0.tgz",
    ]) {
      writeFileSync(path.join(packs, file), "");
    }
    const packages = findLocalPackages(packs);
    const project = await createProject({ dir: "local", template: "function-calling", cwd, packages });
    const manifest = readJson<Manifest & { overrides: Record<string, string> }>(
      path.join(project.dir, "package.json"),
    );
    expect(manifest.dependencies).toEqual({
      poekit: `file:${path.join(packs, "poekit-0.1.0.tgz")}`,
      zod: repoManifest("packages/poekit").dependencies.zod,
    });
    expect(manifest.devDependencies["@poekit/cli"]).toBe(`file:${path.join(packs, "poekit-cli-0.1.0.tgz")}`);
    expect(manifest.overrides).toEqual({
      poekit: "$poekit",
      "@poekit/cli": "$@poekit/cli",
      "@poekit/simulator": `file:${path.join(packs, "poekit-simulator-0.1.0.tgz")}`,
      "create-poekit": `file:${path.join(packs, "create-poekit-0.1.0.tgz")}`,
    });
  });

  it("refuses --packages without one tarball of each package, naming what is missing", () => {
    const packs = path.join(cwd, "packs");
    mkdirSync(packs);
    writeFileSync(path.join(packs, "poekit-0.1.0.tgz"), "");
    expect(() => findLocalPackages(packs)).toThrow(/has no tarball of @poekit\/cli; run `npm run pack`/);
    expect(() => findLocalPackages(path.join(cwd, "nowhere"))).toThrow(/cannot be read/);
  });

  it("writes into an existing empty folder, or one holding only .git, named after it", async () => {
    mkdirSync(path.join(cwd, "empty"));
    mkdirSync(path.join(cwd, "repo", ".git"), { recursive: true });
    expect((await createProject({ dir: "empty", template: "echo", cwd })).files).toContain("index.ts");
    const project = await createProject({ dir: ".", template: "llm", cwd: path.join(cwd, "repo") });
    expect(project.name).toBe("repo");
    expect(readdirSync(project.dir)).toContain(".git");
  });

  it("takes a package name given, scoped too", async () => {
    const project = await createProject({ dir: "x", template: "echo", name: "@me/bot", cwd });
    expect(readJson<Manifest>(path.join(project.dir, "package.json")).name).toBe("@me/bot");
  });

  it("refuses a folder that is not empty, and writes nothing", async () => {
    mkdirSync(path.join(cwd, "taken"));
    writeFileSync(path.join(cwd, "taken", "notes.txt"), "mine");
    const attempt = createProject({ dir: "taken", template: "echo", cwd });
    await expect(attempt).rejects.toThrow(ScaffoldError);
    await expect(attempt).rejects.toMatchObject({
      code: "NOT_EMPTY",
      message: "taken already exists and is not empty; choose a new folder name, or empty it first.",
    });
    expect(readdirSync(path.join(cwd, "taken"))).toEqual(["notes.txt"]);
  });

  it("refuses a file", async () => {
    writeFileSync(path.join(cwd, "bot"), "");
    await expect(createProject({ dir: "bot", template: "echo", cwd })).rejects.toMatchObject({
      code: "NOT_A_FOLDER",
      message: "bot is a file; choose a folder name for the project.",
    });
  });

  it("refuses an unknown template, naming every template, before creating the folder", async () => {
    await expect(createProject({ dir: "new", template: "chatgpt", cwd })).rejects.toMatchObject({
      code: "UNKNOWN_TEMPLATE",
      message: 'There is no template "chatgpt"; choose one of echo, llm, function-calling, attachments.',
    });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("refuses an invalid package name", async () => {
    await expect(createProject({ dir: "x", template: "echo", name: "My Bot", cwd })).rejects.toMatchObject({
      code: "INVALID_NAME",
      message: expect.stringMatching(/^"My Bot" cannot be the project's name: a package name is lower case/),
    });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("reads the templates from the folder given", async () => {
    const templates = path.join(cwd, "templates");
    mkdirSync(path.join(templates, "_base"), { recursive: true });
    mkdirSync(path.join(templates, "echo", "src"), { recursive: true });
    writeFileSync(
      path.join(templates, "_base", "package.json"),
      '{ "name": "x", "dependencies": { "b": "1" } }',
    );
    writeFileSync(path.join(templates, "_base", "index.ts"), "base");
    writeFileSync(path.join(templates, "echo", "index.ts"), "overlaid");
    writeFileSync(path.join(templates, "echo", "src", "_gitignore"), "nested");
    const project = await createProject({ dir: "out", template: "echo", cwd, templatesDir: templates });
    expect(project.files).toEqual(["index.ts", "package.json", "src/.gitignore"]);
    expect(readFileSync(path.join(project.dir, "index.ts"), "utf8")).toBe("overlaid");
    expect(readFileSync(path.join(project.dir, "src/.gitignore"), "utf8")).toBe("nested");
    expect(readJson(path.join(project.dir, "package.json"))).toEqual({
      name: "out",
      dependencies: { b: "1" },
    });
  });
});

describe("folderProblem", () => {
  it("is undefined for a folder that does not exist or is empty", () => {
    expect(folderProblem(path.join(cwd, "nope"), "nope")).toBeUndefined();
    expect(folderProblem(cwd, ".")).toBeUndefined();
  });

  it("explains, with the name the user gave, why a folder cannot be used", () => {
    writeFileSync(path.join(cwd, "file"), "");
    expect(folderProblem(cwd, "here")?.message).toBe(
      "here already exists and is not empty; choose a new folder name, or empty it first.",
    );
  });
});

describe("fillPlaceholders", () => {
  it("replaces every placeholder", () => {
    expect(fillPlaceholders("{{a}} and {{b}}, {{a}}", { a: "1", b: "2" })).toBe("1 and 2, 1");
  });

  it("throws on a placeholder without a value (a bug in a template)", () => {
    expect(() => fillPlaceholders("# {{title}}", {})).toThrow(
      "The template has an unknown placeholder {{title}}.",
    );
  });
});
