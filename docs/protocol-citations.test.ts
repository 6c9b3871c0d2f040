import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECKS } from "../packages/cli/src/check/catalog.js";
import { type CitationProblem, checkFile, formatProblem, unresolved } from "./citations/check-citations.js";
import { type Citation, findCitations } from "./citations/find-citations.js";
import { findOutsideReferences } from "./citations/outside-references.js";
import { type ProtocolSections, protocolSections } from "./citations/protocol-sections.js";
import { repositoryFiles } from "./citations/repository-files.js";

// The repository stands alone: code, tests, docs and `poekit check` cite "protocol.md §N" (or
// "docs/protocol.md §N", "Part A"), and each such citation must name a heading of docs/protocol.md;
// no file may point at documents kept outside the repository.
const root = fileURLToPath(new URL("../", import.meta.url));
const PROTOCOL = "docs/protocol.md";
const protocolText = readFileSync(path.join(root, PROTOCOL), "utf8");
const protocol = protocolSections(protocolText);

let citations: Array<Citation & { file: string }> = [];
let problems: CitationProblem[] = [];

beforeAll(() => {
  for (const file of repositoryFiles(root)) {
    let text: string;
    try {
      text = readFileSync(path.join(root, file), "utf8");
    } catch {
      continue; // deleted but not yet staged
    }
    if (text.includes("\0")) continue; // binary
    const result = checkFile(file, text, protocol);
    citations.push(...result.citations.map((citation) => ({ ...citation, file })));
    problems.push(...result.problems);
  }
  citations = citations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  problems = problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
});

describe("docs/protocol.md", () => {
  it("has the parts and the numbered sections code and docs cite", () => {
    for (const section of ["Part A", "Part B", "1", "1.1", "1.12", "2", "2.3", "3.9", "4.6", "7"]) {
      expect(protocol.sections, section).toContain(section);
    }
  });

  it("refers only to its own sections", () => {
    const dangling = [...protocolText.matchAll(/§(\d+(?:\.\d+)*)/g)]
      .map((match) => match[1] ?? "")
      .filter((section) => !protocol.sections.has(section));
    expect(dangling).toEqual([]);
  });
});

describe("citations of docs/protocol.md across the repository", () => {
  it("are found (the scan reads the files that cite it)", () => {
    const files = new Set(citations.map((citation) => citation.file));
    expect(files).toContain("packages/cli/src/check/catalog.ts");
    expect(files).toContain("docs/check.md");
    expect(files).toContain("docs/guides/catbot.md");
    expect(citations.length).toBeGreaterThan(60);
  });

  it("each name a heading of docs/protocol.md, and no file points outside the repository", () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it("in poekit check's catalog, as its reports print them, resolve too", () => {
    const broken = CHECKS.flatMap((check) =>
      findCitations(check.section, false)
        .map((citation) => unresolved(citation, protocol))
        .filter((message) => message !== undefined)
        .map((message) => `${check.id}: ${message}`),
    );
    expect(broken).toEqual([]);
    // Every check cites something.
    expect(CHECKS.filter((check) => findCitations(check.section, false).length === 0)).toEqual([]);
  });
});

describe("the citation checker", () => {
  const sample: ProtocolSections = protocolSections(
    [
      "## Part A — decisions",
      "### Server side",
      "| situation | answer |",
      "| --- | --- |",
      "| done | last |",
      "| unknown extra keys anywhere | kept |",
      "## 1. Wire",
      "### 1.7 QueryRequest fields",
      "## 2. Settings",
    ].join("\n"),
  );
  // Built from parts, so that this file holds no citation of a section that does not exist.
  const section = (number: string) => `protocol.md §${number}`;

  it("reads numbered headings, parts and Part A's server-side rows", () => {
    expect([...sample.sections].sort()).toEqual(["1", "1.7", "2", "Part A"]);
    expect(sample.serverSideRows).toEqual(["done", "unknown extra keys anywhere"]);
  });

  it("names file and line of a citation whose section is not a heading", () => {
    const text = `first line\n// ${section("1.7")} is fine; ${section("9.4")} is not\n`;
    expect(checkFile("src/a.ts", text, sample).problems.map(formatProblem)).toEqual([
      `src/a.ts:2: ${section("9.4")} is not a heading of docs/protocol.md`,
    ]);
  });

  it("reads lists of sections, with docs/ or without, and parts", () => {
    const text = `(docs/${section("1.7")}, §2 and Part A.) (${section("1.7")} (Attachment), §3.1)`;
    const found = findCitations(text, false).map((citation) => citation.section);
    expect(found).toEqual(["1.7", "2", "Part A", "1.7", "3.1"]);
  });

  it("stops at the end of the clause", () => {
    const text = `See ${section("1.7")}. Part B of the plan, §4 of the contract.\n`;
    expect(findCitations(text, false).map((citation) => citation.section)).toEqual(["1.7"]);
  });

  it("reads a citation that wraps onto the next line, but not past a blank line", () => {
    const text = `(${section("1.7")},\n §2.)\n\n§3 elsewhere`;
    expect(findCitations(text, false).map((citation) => [citation.line, citation.section])).toEqual([
      [1, "1.7"],
      [2, "2"],
    ]);
  });

  it("checks the cells of a Markdown table column headed protocol.md", () => {
    const table = [
      "| id | protocol.md |",
      "| --- | --- |",
      "| a | Part A, Server side: done; §1.7 |",
      "| b | same; §8 |",
      "| c | Part A, Server side: unknown extra keys |",
      "| d | Part A, Server side: nothing like it |",
    ].join("\n");
    expect(checkFile("docs/x.md", table, sample).problems.map(formatProblem)).toEqual([
      `docs/x.md:4: ${section("8")} is not a heading of docs/protocol.md`,
      `docs/x.md:6: "Part A, Server side: nothing like it" is not a row of the Server side table in docs/protocol.md`,
    ]);
  });

  it("finds references to documents outside the repository", () => {
    const text = [
      "ok",
      `see ${["..", "shared", "x.md"].join("/")}`,
      `and ${["shared", "fixtures", "a"].join("/")}`,
    ];
    expect(findOutsideReferences(text.join("\n"))).toEqual([
      { line: 2, text: ["..", "shared"].join("/") },
      { line: 3, text: ["shared", "fixtures"].join("/") },
    ]);
    expect(findOutsideReferences("packages/shared-things/x.ts and docs/protocol.md")).toEqual([]);
  });
});
