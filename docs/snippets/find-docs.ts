import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * The docs the checker reads: README.md and every `.md` under docs/, except generated output
 * (docs/api/, the API reference).
 * @example
 * findDocs("/repo"); // ["README.md", "docs/client.md", "docs/guides/costs.md", …]
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
  return existsSync(path.join(root, "README.md")) ? ["README.md", ...docs] : docs;
}
