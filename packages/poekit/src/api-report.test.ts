import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeApiReport } from "./test-support/api-report/compute.js";
import { diffReports } from "./test-support/api-report/diff.js";
import {
  formatReport,
  REPORT_FILE,
  REPORT_NAME,
  readReport,
  UPDATE_COMMAND,
} from "./test-support/api-report/report-file.js";

// A change to what `poekit` exports, or to what a PoeBot subclass sees, must be reviewed: it shows in
// the diff of packages/poekit/api-report.json, which this test keeps in step with the sources.
describe("the API report", () => {
  const report = computeApiReport();
  const howToUpdate = `If this is intended, run \`${UPDATE_COMMAND}\` and commit ${REPORT_NAME} with the change.`;

  it("lists every export of every subpath, and PoeBot's public members", () => {
    const changes = diffReports(readReport() ?? { exports: {}, PoeBot: {} }, report);
    expect(changes, `The public API differs from the report:\n${changes.join("\n")}\n${howToUpdate}`).toEqual(
      [],
    );
  });

  it("is in the form the update writes (sorted), so that it diffs well", () => {
    const checkedIn = readReport();
    if (!checkedIn) return; // the test above says what to do
    expect(readFileSync(REPORT_FILE, "utf8"), `${REPORT_NAME} was edited by hand. ${howToUpdate}`).toBe(
      formatReport(checkedIn),
    );
  });
});
