import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * The docs the checker reads: README.md, every `.md` under docs/ except generated output (docs/api/,
 * the API reference), and each package's README.md (packages/<name>/README.md, its npm page).
 * @example
 * findDocs("/repo"); // ["README.md", "docs/client.md", "docs/guides/costs.md", …, "packages/poekit/README.md"]
 */
export function findDocs(root: string): string[] {
  const docsFolder = path.join(root, "docs");
  const docs = existsSync(docsFolder)
    ? readdirSync(docsFolder, { recursive: true, encoding: "utf8" })
        .map((file) => `docs/${file.split(path.sep).join("/")}`)
        .filter(
          (file) => file.endsWith(".md") && !file.startsWith("docs/api/") && !file.includes("node_modules/"),
        )
        .sort()
    : [];
  const packagesFolder = path.join(root, "packages");
  const packageReadmes = existsSync(packagesFolder)
    ? readdirSync(packagesFolder, { withFileTypes: true })
        .filter(
          (entry) => entry.isDirectory() && existsSync(path.join(packagesFolder, entry.name, "README.md")),
        )
        .map((entry) => `packages/${entry.name}/README.md`)
        .sort()
    : [];
  return [...(existsSync(path.join(root, "README.md")) ? ["README.md"] : []), ...docs, ...packageReadmes];
}
