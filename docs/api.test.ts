import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Application, Logger, LogLevel, TSConfigReader, TypeDocReader } from "typedoc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The API reference (`npm run docs:api`, typedoc.json) must build without a warning: a broken
// {@link}, or an exported name whose type is not exported, fails here rather than on a docs site.
const root = fileURLToPath(new URL("../", import.meta.url));
const out = mkdtempSync(path.join(tmpdir(), "poekit-api-"));
const messages: string[] = [];
let pages: string[] = [];

/** Keeps what typedoc reports instead of printing it. */
class RecordingLogger extends Logger {
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) messages.push(`[${LogLevel[level]}] ${message}`);
  }
}

beforeAll(async () => {
  const app = await Application.bootstrapWithPlugins({ options: path.join(root, "typedoc.json") }, [
    new TypeDocReader(),
    new TSConfigReader(),
  ]);
  app.logger = new RecordingLogger();
  const project = await app.convert();
  if (!project) throw new Error(`typedoc could not convert the SDK:\n${messages.join("\n")}`);
  app.validate(project);
  await app.generateDocs(project, out);
  pages = readdirSync(out, { recursive: true, encoding: "utf8" }).map((file) =>
    file.split(path.sep).join("/"),
  );
}, 60_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the API reference", () => {
  it("builds from typedoc.json without an error or a warning", () => {
    expect(messages).toEqual([]);
  });

  it.each([
    ["classes", "PoeBot", "getResponse"],
    ["functions", "makeApp", "accessKey"],
    ["functions", "streamRequest", "botName"],
    ["functions", "run", "port"],
    ["functions", "createTestClient", "query"],
  ])("has a page in %s/ for %s, with its documentation", (folder, name, mention) => {
    const page = pages.find((file) => file.startsWith(`${folder}/`) && file.endsWith(`.${name}.html`));
    expect(page, `no ${folder}/*.${name}.html among ${pages.length} pages`).toBeDefined();
    expect(readFileSync(path.join(out, page ?? ""), "utf8")).toContain(mention);
  });
});
