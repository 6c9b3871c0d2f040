// Every relative link of the docs (README.md, docs/, the packages' READMEs, CONTRIBUTING.md) points at
// a file of the repository, and every `#anchor` at a heading of its Markdown target.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { headingAnchors } from "./links/heading-anchors.js";
import { markdownLinks } from "./links/markdown-links.js";
import { findDocs } from "./snippets/find-docs.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const docs = [...findDocs(root), "CONTRIBUTING.md"].filter((doc) => existsSync(path.join(root, doc)));

function brokenLinks(doc: string): string[] {
  const text = readFileSync(path.join(root, doc), "utf8");
  return markdownLinks(text).flatMap(({ target, line }) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return []; // https:, mailto: and the like
    const [file = "", anchor] = target.split("#", 2);
    const resolved =
      file === "" ? path.join(root, doc) : path.resolve(path.dirname(path.join(root, doc)), decodeURI(file));
    if (!existsSync(resolved)) return [`${doc}:${line}: ${target} (no such file)`];
    if (anchor === undefined || !resolved.endsWith(".md") || statSync(resolved).isDirectory()) return [];
    return headingAnchors(readFileSync(resolved, "utf8")).has(anchor)
      ? []
      : [`${doc}:${line}: ${target} (no heading #${anchor} in ${path.relative(root, resolved)})`];
  });
}

describe("the links of the docs", () => {
  it.each(docs)("%s", (doc) => {
    expect(brokenLinks(doc)).toEqual([]);
  });
});
