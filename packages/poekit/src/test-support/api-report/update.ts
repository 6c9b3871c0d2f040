/**
 * `npm run api:update`: rewrites packages/poekit/api-report.json from the sources and prints what
 * changed, for the review that accepts it.
 */
import { computeApiReport } from "./compute.js";
import { diffReports } from "./diff.js";
import { REPORT_NAME, readReport, writeReport } from "./report-file.js";

const report = computeApiReport();
const before = readReport();
writeReport(report);
const changes = before ? diffReports(before, report) : ["(a new report)"];
console.log(`${REPORT_NAME}: ${changes.length === 0 ? "unchanged" : `\n${changes.join("\n")}`}`);
