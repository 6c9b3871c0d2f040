/**
 * What changed between the checked-in API report and the sources, one line per name: `+` added,
 * `-` removed, `~` a different kind. Empty when they agree.
 */
import type { ApiReport, Names } from "./compute.js";

export function diffReports(before: ApiReport, after: ApiReport): string[] {
  const lines: string[] = [];
  const subpaths = [...new Set([...Object.keys(before.exports), ...Object.keys(after.exports)])].sort();
  for (const subpath of subpaths) {
    const label = subpath === "." ? "poekit" : `poekit${subpath.slice(1)}`;
    lines.push(...diffNames(before.exports[subpath] ?? {}, after.exports[subpath] ?? {}, `${label}: `));
  }
  lines.push(...diffNames(before.PoeBot, after.PoeBot, "PoeBot#"));
  return lines;
}

function diffNames(before: Names, after: Names, prefix: string): string[] {
  const lines: string[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const was = before[name];
    const is = after[name];
    if (was === is) continue;
    if (was === undefined) lines.push(`+ ${prefix}${name} (${is})`);
    else if (is === undefined) lines.push(`- ${prefix}${name} (${was})`);
    else lines.push(`~ ${prefix}${name} (${was} → ${is})`);
  }
  return lines;
}
