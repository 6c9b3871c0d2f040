/** Runs the dependency rules in `cwd` (default: the repository's root) on `folders` (default: each run's own). */
export function checkDependencyRules(cwd?: string, folders?: string[]): { ok: boolean; output: string };
