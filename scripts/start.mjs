// `npm start`: the simulator on PORT or 7777, with every example bot served and registered. Arguments
// after `--` are passed on to `poekit sim`.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const examples = readdirSync(path.join(root, "examples"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(root, "examples", entry.name, "index.ts")))
  .map((entry) => `examples/${entry.name}`)
  .sort();

if (examples.length === 0) {
  console.error("start: there is no examples/*/index.ts to serve.");
  process.exit(1);
}

const port = process.env.PORT || "7777";
console.log(`start: the simulator with ${examples.join(", ")} (Ctrl-C stops).`);

// In a process group of its own, so that Ctrl-C reaches it once, from here, rather than also from the
// terminal: a second signal would make the server skip its graceful shutdown.
const child = spawn(
  process.execPath,
  [
    path.join(root, "packages/poekit/bin/poekit.js"),
    "sim",
    ...examples,
    "--port",
    port,
    "--alias",
    "GPT-4o-Mini=ScriptedLLM",
    // The compare example's second model.
    "--alias",
    "Claude-3-Haiku=Echo",
    // `npm start -- --db :memory:` and the like: the rest goes to `poekit sim`.
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: "inherit", detached: true },
);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
process.on("exit", () => {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
});
child.on("error", (error) => {
  console.error(`start: could not run poekit: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal === "SIGINT" ? 130 : 1));
});
