import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Chromium is: `CHROME_PATH`, else Debian's `/usr/bin/chromium`; undefined when neither exists. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROME_PATH, "/usr/bin/chromium"].filter((path): path is string => !!path);
  return candidates.find((path) => existsSync(path));
}

/**
 * Whether browser tests should run here. Without Chromium they fail under `CI=true` (CI installs it)
 * and are skipped elsewhere, with a notice nobody can miss.
 */
export function browserTestsEnabled(): boolean {
  if (findChromium()) return true;
  if (process.env.CI === "true") return true; // launching will fail and say why
  console.warn(
    "\n!!! Browser tests SKIPPED: no Chromium (set CHROME_PATH, or `apt-get install -y chromium`). They run in CI. !!!\n",
  );
  return false;
}

/** Launches headless Chromium with the flags this sandbox needs (no network besides loopback). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(
      "Browser tests need Chromium: set CHROME_PATH or install Debian's chromium (/usr/bin/chromium).",
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
