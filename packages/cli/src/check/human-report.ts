import { type Colors, colorsFor, type OutputStream } from "../terminal.js";
import type { CheckReport, CheckResult, CheckStatus, ReceivedResponse, SentRequest } from "./check-result.js";
import { formatMs } from "./make-result.js";

/** How many events of a response the details show. */
const SHOWN_EVENTS = 8;
const DETAIL_INDENT = " ".repeat(10);

const MARKS: Record<CheckStatus, { mark: string; word: string; color: keyof Colors }> = {
  pass: { mark: "✔", word: "pass", color: "green" },
  warn: { mark: "!", word: "warn", color: "yellow" },
  fail: { mark: "✖", word: "fail", color: "red" },
  skip: { mark: "-", word: "skip", color: "dim" },
};

/**
 * Writes the report for people: a line per check under its group, the request, the answer and the
 * rule under each warning and failure, and a summary. Colour only where `colorsFor` allows it.
 * @example
 * writeHumanReport(report, process.stdout, process.env);
 */
export function writeHumanReport(
  report: CheckReport,
  stream: OutputStream,
  env: Record<string, string | undefined>,
): void {
  const colors = colorsFor(stream, env);
  const paint = (status: CheckStatus, text: string) =>
    (colors[MARKS[status].color] as (s: string) => string)(text);
  const lines: string[] = [];
  const key = report.accessKey === null ? "no access key" : `access key ${report.accessKey}`;
  lines.push(`${colors.bold("poekit check")} ${report.url} ${colors.dim(`(${key})`)}`);
  const width = Math.max(0, ...report.checks.map((check) => check.id.length));
  let group: string | null = null;
  for (const check of report.checks) {
    if (check.group !== group) {
      group = check.group;
      lines.push("", colors.bold(capitalize(group)));
    }
    const { mark, word } = MARKS[check.status];
    lines.push(`  ${paint(check.status, `${mark} ${word}`)}  ${check.id.padEnd(width)}  ${check.message}`);
    if (check.status === "warn" || check.status === "fail") lines.push(...details(check, colors));
  }
  lines.push("", summary(report, colors));
  stream.write(`${lines.join("\n")}\n`);
}

/** The request, the answer and the rule behind a result, indented under it. */
function details(check: CheckResult, colors: Colors): string[] {
  const lines: string[] = [];
  const block = (label: string, rows: string[]) => {
    rows.forEach((row, at) => {
      lines.push(`${DETAIL_INDENT}${colors.dim((at === 0 ? label : "").padEnd(10))}${row}`);
    });
  };
  if (check.request) block("request", requestRows(check.request));
  if (check.response) block("response", responseRows(check.response));
  block("rule", [`${check.rule} ${colors.dim(`(${check.section})`)}`]);
  return lines;
}

function requestRows(request: SentRequest): string[] {
  const rows = [`${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) rows.push(`${name}: ${value}`);
  if (request.body !== undefined) rows.push(request.body);
  return rows;
}

function responseRows(response: ReceivedResponse): string[] {
  const head =
    response.status === null
      ? `no response${response.error ? `: ${response.error}` : ""}`
      : `${response.status} ${response.contentType ?? "(no content type)"}`;
  const rows = [head];
  if (response.body !== undefined && response.body !== "") rows.push(response.body);
  for (const event of (response.events ?? []).slice(0, SHOWN_EVENTS)) {
    rows.push(`+${formatMs(event.atMs)}  ${event.event === ":" ? ":" : `${event.event}:`} ${event.data}`);
  }
  const total = response.eventCount ?? response.events?.length ?? 0;
  if (total > SHOWN_EVENTS) rows.push(`… ${total.toLocaleString("en-US")} events and keep-alives in all`);
  if (response.status !== null && response.error) rows.push(`(${response.error})`);
  return rows;
}

function summary(report: CheckReport, colors: Colors): string {
  const { counts } = report;
  const parts = [
    colors.green(`${counts.pass} passed`),
    (counts.warn > 0 ? colors.yellow : colors.dim)(
      `${counts.warn} ${counts.warn === 1 ? "warning" : "warnings"}`,
    ),
    (counts.fail > 0 ? colors.red : colors.dim)(`${counts.fail} failed`),
    colors.dim(`${counts.skip} skipped`),
  ];
  const total = report.checks.length;
  return `${colors.bold(`${total} ${total === 1 ? "check" : "checks"}`)} in ${(report.durationMs / 1_000).toFixed(1)} s: ${parts.join(", ")}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
