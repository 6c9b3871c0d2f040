/**
 * The checked-in API report, packages/poekit/api-report.json: read, written, and the text it is
 * written as (sorted keys, two-space indent, a final newline), so that a review sees a small diff.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type ApiReport, type Names, PACKAGE_DIR } from "./compute.js";

export const REPORT_FILE = path.join(PACKAGE_DIR, "api-report.json");
/** The report's path from the repository's root, for messages. */
export const REPORT_NAME = "packages/poekit/api-report.json";

/** How to accept a change, printed with every failure. */
export const UPDATE_COMMAND = "npm run api:update";

const ABOUT =
  "poekit's public surface, per subpath of package.json's exports, and PoeBot's public members. " +
  `packages/poekit/src/api-report.test.ts fails when the sources disagree; after reviewing the change, run \`${UPDATE_COMMAND}\` and commit this file.`;

/** The report's text: every list of names sorted, whatever order it was given in. */
export function formatReport(report: ApiReport): string {
  const exports = Object.fromEntries(
    Object.keys(report.exports)
      .toSorted()
      .map((subpath) => [subpath, sortedNames(report.exports[subpath] ?? {})]),
  );
  return `${JSON.stringify({ about: ABOUT, exports, PoeBot: sortedNames(report.PoeBot) }, null, 2)}\n`;
}

function sortedNames(names: Names): Names {
  return Object.fromEntries(
    Object.keys(names)
      .toSorted()
      .map((name) => [name, names[name] as string]),
  );
}

/** The checked-in report, or undefined when there is none yet. */
export function readReport(): ApiReport | undefined {
  let text: string;
  try {
    text = readFileSync(REPORT_FILE, "utf8");
  } catch {
    return undefined;
  }
  const { exports, PoeBot } = JSON.parse(text) as ApiReport;
  return { exports, PoeBot };
}

export function writeReport(report: ApiReport): void {
  writeFileSync(REPORT_FILE, formatReport(report));
}
