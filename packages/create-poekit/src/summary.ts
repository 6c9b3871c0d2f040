import path from "node:path";
import type { CreatedProject } from "./scaffold.js";

/**
 * What was written, one file a line, for the end of `npm create poekit` and `poekit new`.
 * @example
 * process.stdout.write(describeProject(project, process.cwd()));
 * // Created my-bot from the echo template:
 * //   .dockerignore
 * //   …
 */
export function describeProject(project: CreatedProject, cwd: string): string {
  const where = displayPath(project.dir, cwd);
  const lines = [`Created ${where} from the ${project.template} template:`];
  for (const file of project.files) lines.push(`  ${file}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The commands to run next: into the folder, install (unless that was done), and start developing.
 * @example
 * process.stdout.write(nextSteps(project, { cwd: process.cwd(), installed: false }));
 * // Next steps:
 * //   cd my-bot
 * //   npm install
 * //   npm run dev   …
 */
export function nextSteps(project: CreatedProject, options: { cwd: string; installed: boolean }): string {
  const lines = ["Next steps:"];
  const relative = path.relative(options.cwd, project.dir);
  if (relative !== "") lines.push(`  cd ${shellQuote(relative)}`);
  if (!options.installed) lines.push("  npm install");
  lines.push(
    "  npm run dev      serve the bot and chat with it in the simulator",
    "  npm test         run its tests",
    "The README says how to check it against Poe's protocol and deploy it.",
  );
  return `${lines.join("\n")}\n`;
}

function displayPath(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir);
  if (relative === "") return "the current folder";
  return relative.startsWith("..") ? dir : relative;
}

/** `value` as one word of a POSIX shell command: quoted only when it has to be. */
function shellQuote(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
