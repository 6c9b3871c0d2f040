import { spawn } from "node:child_process";
import { ScaffoldError } from "./errors.js";

/**
 * Runs `npm install` in `dir`, its output going to this process's terminal. A failure is a
 * {@link ScaffoldError} (`INSTALL_FAILED`) saying how to try again.
 * @example
 * await runNpmInstall("/home/me/my-bot");
 */
export function runNpmInstall(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (why: string, cause?: unknown) =>
      reject(
        new ScaffoldError(
          "INSTALL_FAILED",
          `npm install ${why} in ${dir}; run it there yourself to see why.`,
          {
            cause,
          },
        ),
      );
    // npm is a script (npm.cmd) on Windows, which only a shell can start.
    const child = spawn("npm", ["install"], {
      cwd: dir,
      stdio: "inherit",
      shell: process.platform === "win32",
    });
    child.on("error", (error) => failed("could not start", error));
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else failed(signal ? `was stopped by ${signal}` : `failed (exit code ${code})`);
    });
  });
}
