// The suggestion after a mistyped option or command: `--prot` → `--port`, `sever` → `serve`.

/**
 * The candidate closest to `given`, when it is close enough to be what was meant: within two edits,
 * or a quarter of the name's length for long names.
 * @example
 * closestName("--prot", ["--port", "--host"]); // "--port"
 * closestName("--colour", ["--port"]); // undefined
 */
export function closestName(given: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(given, name);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  const limit = Math.max(2, Math.floor(given.length / 4));
  return best !== undefined && best.distance <= limit ? best.name : undefined;
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions from `a` to `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
