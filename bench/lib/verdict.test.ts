import { describe, expect, it } from "vitest";
import { consoleTable, markdownTable, tally } from "./report.js";
import { median, medianDifference, percentile } from "./stats.js";
import {
  formatFigure,
  formatRatio,
  formatTarget,
  type Row,
  ratioOf,
  verdictMark,
  verdictOf,
} from "./verdict.js";

const row = (overrides: Partial<Row>): Row => ({
  scenario: "echo",
  label: "req/s, concurrency 10",
  unit: "req/s",
  figure: 9000,
  baseline: 10000,
  ...overrides,
});

describe("verdicts", () => {
  it("compares ratio targets with the baseline of the same run", () => {
    expect(ratioOf(row({}))).toBe(0.9);
    expect(verdictOf(row({ target: { kind: "ratio-at-least", value: 0.8 } }))).toBe("pass");
    expect(verdictOf(row({ target: { kind: "ratio-at-least", value: 0.95 } }))).toBe("fail");
    expect(verdictOf(row({ figure: 15, baseline: 10, target: { kind: "ratio-at-most", value: 1.5 } }))).toBe(
      "pass",
    );
    expect(verdictOf(row({ figure: 16, baseline: 10, target: { kind: "ratio-at-most", value: 1.5 } }))).toBe(
      "fail",
    );
  });

  it("judges absolute targets on the figure alone", () => {
    expect(
      verdictOf(row({ unit: "MB", figure: 250, baseline: 1, target: { kind: "at-most", value: 250 } })),
    ).toBe("pass");
    expect(
      verdictOf(row({ unit: "MB", figure: 251, baseline: null, target: { kind: "at-most", value: 250 } })),
    ).toBe("fail");
    expect(verdictOf(row({ unit: "streams", figure: 9999, target: { kind: "equals", value: 10000 } }))).toBe(
      "fail",
    );
  });

  it("judges an overhead target on the difference from the baseline", () => {
    const overhead = { kind: "excess-at-most", value: 2 } as const;
    expect(verdictOf(row({ unit: "ms", figure: 3.9, baseline: 2, target: overhead }))).toBe("pass");
    expect(verdictOf(row({ unit: "ms", figure: 4, baseline: 2, target: overhead }))).toBe("pass");
    expect(verdictOf(row({ unit: "ms", figure: 4.1, baseline: 2, target: overhead }))).toBe("fail");
    expect(verdictOf(row({ unit: "ms", figure: 1, baseline: null, target: overhead }))).toBe("fail");
    expect(verdictOf(row({ unit: "ms", figure: 1, baseline: Number.NaN, target: overhead }))).toBe("fail");
  });

  it("fails rows that could not be measured, and leaves rows without a target unjudged", () => {
    expect(verdictOf(row({ figure: null, target: { kind: "ratio-at-least", value: 1 } }))).toBe("fail");
    expect(verdictOf(row({ baseline: null, target: { kind: "ratio-at-least", value: 1 } }))).toBe("fail");
    expect(
      verdictOf(row({ error: "3 failed requests", target: { kind: "ratio-at-least", value: 0.8 } })),
    ).toBe("fail");
    expect(verdictOf(row({}))).toBe("none");
    expect(ratioOf(row({ baseline: 0 }))).toBeNull();
  });

  it("marks verdicts", () => {
    expect([verdictMark("pass"), verdictMark("fail"), verdictMark("none")]).toEqual(["✓", "✗", ""]);
  });
});

describe("formatting", () => {
  it("rounds each unit to what it can tell apart", () => {
    expect(formatFigure(12345.6, "req/s")).toBe("12,346 req/s");
    expect(formatFigure(0.4234, "ms")).toBe("0.42 ms");
    expect(formatFigure(61.82, "ms")).toBe("61.8 ms");
    expect(formatFigure(38.25, "kB")).toBe("38.3 kB");
    expect(formatFigure(null, "MB/s")).toBe("—");
    expect(formatFigure(Number.NaN, "MB/s")).toBe("—");
  });

  it("writes ratios and targets as people read them", () => {
    expect(formatRatio(0.934)).toBe("0.93×");
    expect(formatRatio(null)).toBe("—");
    expect(formatTarget({ kind: "ratio-at-least", value: 0.8 }, "req/s")).toBe("≥ 0.8×");
    expect(formatTarget({ kind: "ratio-at-most", value: 1.5 }, "ms")).toBe("≤ 1.5×");
    expect(formatTarget({ kind: "at-most", value: 250 }, "MB")).toBe("≤ 250.0 MB");
    expect(formatTarget({ kind: "excess-at-most", value: 2 }, "ms")).toBe("≤ +2.00 ms");
    expect(formatTarget({ kind: "equals", value: 10000 }, "streams")).toBe("= 10,000 streams");
    expect(formatTarget(undefined, "ms")).toBe("—");
  });

  it("renders a Markdown table with one line per row and the notes under it", () => {
    const rows = [
      row({ target: { kind: "ratio-at-least", value: 0.8 }, note: "baseline: raw-echo" }),
      row({
        label: "p99 | tail",
        unit: "ms",
        figure: 2,
        baseline: 1,
        target: { kind: "ratio-at-most", value: 1.5 },
      }),
    ];
    const table = markdownTable(rows).split("\n");
    expect(table[0]).toBe("| scenario | measure | poekit | baseline | ratio | target |  |");
    expect(table[2]).toBe(
      "| echo | req/s, concurrency 10 | 9,000 req/s | 10,000 req/s | 0.90× | ≥ 0.8× | ✓ |",
    );
    expect(table[3]).toBe("| echo | p99 \\| tail | 2.00 ms | 1.00 ms | 2.00× | ≤ 1.5× | ✗ |");
    expect(table).toContain("- echo, req/s, concurrency 10: baseline: raw-echo");
    expect(tally(rows)).toEqual({ pass: 1, fail: 1, none: 0 });
    expect(consoleTable(rows).split("\n")).toHaveLength(4);
  });
});

describe("statistics", () => {
  it("takes nearest-rank percentiles and medians", () => {
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(
      percentile(
        Float64Array.from({ length: 100 }, (_, i) => 100 - i),
        99,
      ),
    ).toBe(99);
    expect(percentile([7], 100)).toBe(7);
    expect(percentile([], 99)).toBeNaN();
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([3, 1, 2])).toBe(2);
  });

  it("takes the median of pairwise differences, ignoring pairs missing a side", () => {
    expect(medianDifference([3, 4, 9], [1, 1, 2])).toBe(3);
    // The difference of the medians would be 3 - 10 = -7; two of the three pairs differ by 1.
    expect(medianDifference([2, 3, 20], [1, 10, 19])).toBe(1);
    expect(medianDifference([5, 6], [1])).toBe(4);
    expect(medianDifference([], [])).toBeNaN();
  });
});
