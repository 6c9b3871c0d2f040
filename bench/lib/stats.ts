/**
 * The `p`-th percentile (0–100) of `values`, by the nearest-rank method; NaN for no values.
 * The array is sorted in place (callers pass their own samples).
 * @example
 * percentile([5, 1, 3], 50); // 3
 */
export function percentile(values: number[] | Float64Array, p: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * values.length);
  return values[Math.min(values.length, Math.max(1, rank)) - 1] as number;
}

/**
 * The median of `values` (the mean of the middle two for an even count); NaN for none.
 * @example
 * median([4, 1, 3, 2]); // 2.5
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The median of the pairwise differences `after[i] - before[i]` (pairs missing a side are left out):
 * an overhead with the drift between pairs taken out, where the difference of two medians keeps it.
 * @example
 * medianDifference([3, 4, 9], [1, 1, 2]); // 3
 */
export function medianDifference(after: readonly number[], before: readonly number[]): number {
  const differences: number[] = [];
  for (let i = 0; i < Math.min(after.length, before.length); i++) {
    differences.push((after[i] as number) - (before[i] as number));
  }
  return median(differences);
}
