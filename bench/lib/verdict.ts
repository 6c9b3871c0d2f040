/**
 * What a figure must meet. Ratio targets compare the poekit figure with the baseline measured in the
 * same run (`figure / baseline`), `excess-at-most` the difference (`figure - baseline`, an overhead);
 * absolute targets look at the figure alone.
 * @example
 * const target: Target = { kind: "ratio-at-least", value: 0.8 }; // req/s ≥ 0.8 × raw-echo
 * const overhead: Target = { kind: "excess-at-most", value: 2 }; // at most 2 ms over the baseline
 */
export type Target =
  | { kind: "ratio-at-least"; value: number }
  | { kind: "ratio-at-most"; value: number }
  | { kind: "excess-at-most"; value: number }
  | { kind: "at-most"; value: number }
  | { kind: "equals"; value: number };

/** How a figure is counted, which decides how it is printed. */
export type Unit = "req/s" | "ms" | "events/s" | "MB/s" | "MB" | "kB" | "streams";

/**
 * One line of the report.
 * @example
 * const row: Row = { scenario: "echo", label: "req/s, concurrency 10", unit: "req/s", figure: 9000, baseline: 10000, target: { kind: "ratio-at-least", value: 0.8 } };
 */
export interface Row {
  scenario: string;
  label: string;
  unit: Unit;
  /** The poekit figure; null when it could not be measured (see `error`). */
  figure: number | null;
  /** The baseline measured in the same run; null when the row has none. */
  baseline: number | null;
  /** Absent for figures reported without a target. */
  target?: Target;
  /** What the baseline is, or anything else worth a word, shown beside the row. */
  note?: string;
  /** Why the row has no figure; such a row fails. */
  error?: string;
}

export type Verdict = "pass" | "fail" | "none";

/**
 * `figure / baseline`, or null when either is missing (or the baseline is 0).
 * @example
 * ratioOf({ figure: 9, baseline: 10 }); // 0.9
 */
export function ratioOf(row: Pick<Row, "figure" | "baseline">): number | null {
  if (row.figure === null || row.baseline === null || row.baseline === 0) return null;
  return row.figure / row.baseline;
}

/**
 * Whether a row meets its target: "none" for rows without one; "fail" for rows that could not be measured.
 * @example
 * verdictOf({ scenario: "x", label: "y", unit: "req/s", figure: 9, baseline: 10, target: { kind: "ratio-at-least", value: 0.8 } }); // "pass"
 */
export function verdictOf(row: Row): Verdict {
  if (row.error !== undefined || row.figure === null || !Number.isFinite(row.figure)) {
    return row.target || row.error !== undefined ? "fail" : "none";
  }
  const target = row.target;
  if (!target) return "none";
  switch (target.kind) {
    case "ratio-at-least": {
      const ratio = ratioOf(row);
      return ratio !== null && ratio >= target.value ? "pass" : "fail";
    }
    case "ratio-at-most": {
      const ratio = ratioOf(row);
      return ratio !== null && ratio <= target.value ? "pass" : "fail";
    }
    case "excess-at-most":
      return row.baseline !== null &&
        Number.isFinite(row.baseline) &&
        row.figure - row.baseline <= target.value
        ? "pass"
        : "fail";
    case "at-most":
      return row.figure <= target.value ? "pass" : "fail";
    case "equals":
      return row.figure === target.value ? "pass" : "fail";
  }
}

const grouped = (digits: number) =>
  new Intl.NumberFormat("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const whole = grouped(0);
const oneDecimal = grouped(1);
const twoDecimals = grouped(2);

/**
 * A figure with its unit, rounded to what the measurement can tell apart.
 * @example
 * formatFigure(12345.6, "req/s"); // "12,346 req/s"
 * formatFigure(0.4234, "ms"); // "0.42 ms"
 */
export function formatFigure(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "ms":
      return `${value < 10 ? twoDecimals.format(value) : oneDecimal.format(value)} ms`;
    case "MB/s":
    case "MB":
    case "kB":
      return `${oneDecimal.format(value)} ${unit}`;
    default:
      return `${whole.format(value)} ${unit}`;
  }
}

/**
 * A ratio as `0.93×`; "—" when there is none.
 * @example
 * formatRatio(0.934); // "0.93×"
 */
export function formatRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? "—" : `${twoDecimals.format(ratio)}×`;
}

/**
 * A target as people write it: `≥ 0.8×`, `≤ 250 MB`, `≤ +2.00 ms` (over the baseline).
 * @example
 * formatTarget({ kind: "at-most", value: 50 }, "ms"); // "≤ 50.0 ms"
 */
export function formatTarget(target: Target | undefined, unit: Unit): string {
  if (!target) return "—";
  switch (target.kind) {
    case "ratio-at-least":
      return `≥ ${target.value}×`;
    case "ratio-at-most":
      return `≤ ${target.value}×`;
    case "excess-at-most":
      return `≤ +${formatFigure(target.value, unit)}`;
    case "at-most":
      return `≤ ${formatFigure(target.value, unit)}`;
    case "equals":
      return `= ${formatFigure(target.value, unit)}`;
  }
}

/**
 * The mark of a verdict: ✓, ✗, or nothing for rows without a target.
 * @example
 * verdictMark("pass"); // "✓"
 */
export function verdictMark(verdict: Verdict): string {
  return verdict === "pass" ? "✓" : verdict === "fail" ? "✗" : "";
}
