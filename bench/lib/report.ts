import { cpus } from "node:os";
import {
  formatFigure,
  formatRatio,
  formatTarget,
  type Row,
  ratioOf,
  verdictMark,
  verdictOf,
} from "./verdict.js";

/** Where and when a run happened. */
export interface Machine {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  platform: string;
}

/**
 * The machine the bench runs on.
 * @example
 * machine().cpu; // "AMD EPYC"
 */
export function machine(): Machine {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    platform: `${process.platform} ${process.arch}`,
  };
}

const HEADINGS = ["scenario", "measure", "poekit", "baseline", "ratio", "target", ""];

function cells(row: Row): string[] {
  return [
    row.scenario,
    row.label,
    formatFigure(row.figure, row.unit),
    formatFigure(row.baseline, row.unit),
    formatRatio(ratioOf(row)),
    formatTarget(row.target, row.unit),
    verdictMark(verdictOf(row)),
  ];
}

/**
 * The rows as a Markdown table, with each row's note (and error) listed under it.
 * @example
 * writeFileSync("latest.md", markdownTable(rows));
 */
export function markdownTable(rows: readonly Row[]): string {
  const escapePipes = (text: string) => text.replaceAll("|", "\\|");
  const lines = [
    `| ${HEADINGS.map(escapePipes).join(" | ")} |`,
    `|${HEADINGS.map((_, i) => (i >= 2 && i <= 5 ? " ---: " : " --- ")).join("|")}|`,
    ...rows.map((row) => `| ${cells(row).map(escapePipes).join(" | ")} |`),
  ];
  const notes = rows
    .map((row) => ({ row, text: [row.error && `error: ${row.error}`, row.note].filter(Boolean).join("; ") }))
    .filter(({ text }) => text !== "")
    .map(({ row, text }) => `- ${row.scenario}, ${row.label}: ${text}`);
  return `${lines.join("\n")}\n${notes.length > 0 ? `\n${notes.join("\n")}\n` : ""}`;
}

/**
 * The rows as an aligned plain-text table for the terminal.
 * @example
 * console.log(consoleTable(rows));
 */
export function consoleTable(rows: readonly Row[]): string {
  const table = [HEADINGS, ...rows.map(cells)];
  const widths = HEADINGS.map((_, column) => Math.max(...table.map((line) => (line[column] ?? "").length)));
  const render = (line: string[]) =>
    line
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return column >= 2 && column <= 5 ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  const lines: string[] = [render(HEADINGS), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const row of rows) {
    lines.push(render(cells(row)));
    if (row.error) lines.push(`    error: ${row.error}`);
  }
  return lines.join("\n");
}

/**
 * How many rows met, missed and had no target.
 * @example
 * tally(rows); // { pass: 12, fail: 1, none: 3 }
 */
export function tally(rows: readonly Row[]): Record<"pass" | "fail" | "none", number> {
  const counts = { pass: 0, fail: 0, none: 0 };
  for (const row of rows) counts[verdictOf(row)]++;
  return counts;
}
