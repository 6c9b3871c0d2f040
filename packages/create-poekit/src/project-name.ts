/** The package name used when a folder's name has nothing usable in it. */
export const FALLBACK_PROJECT_NAME = "my-bot";

const MAX_NAME_LENGTH = 214;
const VALID_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * A valid npm package name made from a folder's name: lower case, every run of other characters
 * turned into one `-`, no leading `.`, `_` or `-`. Falls back to `my-bot` when nothing is left.
 * @example
 * packageNameFromFolder("My Weather Bot"); // "my-weather-bot"
 */
export function packageNameFromFolder(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._~-]+/, "")
    .replace(/-+$/, "")
    .slice(0, MAX_NAME_LENGTH);
  return name === "" ? FALLBACK_PROJECT_NAME : name;
}

/**
 * Why `name` cannot be an npm package name, or `undefined` when it can (scoped names included).
 * @example
 * invalidPackageNameReason("My Bot"); // "a package name is lower case, without spaces …"
 */
export function invalidPackageNameReason(name: string): string | undefined {
  if (name.length === 0) return "a package name cannot be empty";
  if (name.length > MAX_NAME_LENGTH) return `a package name has at most ${MAX_NAME_LENGTH} characters`;
  if (!VALID_NAME.test(name)) {
    return "a package name is lower case, without spaces, made of letters, digits, '-', '.', '_' and '~', and starts with a letter or digit";
  }
  return undefined;
}
