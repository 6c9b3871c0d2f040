// Until poekit's packages are on the registry, a project can depend on tarballs packed from a clone
// (`npm run pack` there). The project's own poekit packages point at the files, and npm `overrides`
// point the packages they depend on at theirs, so that npm never asks the registry for one of them.
import { readdirSync } from "node:fs";
import path from "node:path";
import { ScaffoldError } from "./errors.js";

/** Absolute paths of packed tarballs, by package name. */
export type LocalPackages = Readonly<Record<string, string>>;

/** The package.json fields {@link useLocalPackages} rewrites. */
export interface LocalManifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, string>;
}

/** The packages a poekit project installs, directly or through @poekit/cli. */
export const POEKIT_PACKAGES = ["poekit", "@poekit/cli", "@poekit/simulator", "create-poekit"] as const;

/**
 * The poekit tarballs in `dir`, read from each tarball's name as `npm pack` writes it
 * (`poekit-cli-0.1.0.tgz` for @poekit/cli). Each package must be there exactly once.
 * @example
 * findLocalPackages("/home/me/poekit/packs"); // { poekit: "/home/me/poekit/packs/poekit-0.1.0.tgz", … }
 */
export function findLocalPackages(dir: string): LocalPackages {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".tgz"));
  } catch {
    throw new ScaffoldError(
      "NO_PACKAGES",
      `${dir} cannot be read; give --packages the folder \`npm run pack\` wrote in a clone of poekit.`,
    );
  }
  const found: Record<string, string> = {};
  for (const pkg of POEKIT_PACKAGES) {
    const prefix = `${pkg.replace(/^@/, "").replace("/", "-")}-`;
    const matches = names.filter((name) => name.startsWith(prefix) && /^\d/.test(name.slice(prefix.length)));
    if (matches.length !== 1) {
      const what = matches.length === 0 ? "no tarball" : `${matches.length} tarballs (${matches.join(", ")})`;
      throw new ScaffoldError(
        "NO_PACKAGES",
        `${dir} has ${what} of ${pkg}; run \`npm run pack\` in the clone of poekit to write one of each.`,
      );
    }
    found[pkg] = path.resolve(dir, matches[0] as string);
  }
  return found;
}

/**
 * Points the manifest's poekit packages at the tarballs, and every poekit package its dependencies
 * ask for through `overrides`.
 * @example
 * useLocalPackages(manifest, findLocalPackages("../poekit/packs"));
 */
export function useLocalPackages(manifest: LocalManifest, packages: LocalPackages): void {
  const direct = new Set<string>();
  for (const field of ["dependencies", "devDependencies"] as const) {
    const deps = manifest[field];
    if (!deps) continue;
    for (const name of Object.keys(deps)) {
      const file = packages[name];
      if (file === undefined) continue;
      deps[name] = `file:${file}`;
      direct.add(name);
    }
  }
  const overrides: Record<string, string> = { ...manifest.overrides };
  for (const [name, file] of Object.entries(packages)) {
    // npm refuses an override that differs from a direct dependency's spec; "$name" reuses it.
    overrides[name] = direct.has(name) ? `$${name}` : `file:${file}`;
  }
  manifest.overrides = overrides;
}

/**
 * One line for the end of `create-poekit --packages`: where the packages come from.
 * @example
 * describeLocalPackages(findLocalPackages("packs")); // "poekit's packages come from /…/packs (…)"
 */
export function describeLocalPackages(packages: LocalPackages): string {
  const dirs = new Set(Object.values(packages).map((file) => path.dirname(file)));
  const where = [...dirs].join(", ");
  return `poekit's packages come from ${where} (packed from a clone), not from the registry.`;
}
