// `npm run pack`: builds poekit and packs its four public packages into packs/, the way in until they
// are on the registry. Prints the commands that start a project on them.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = path.join(root, "packs");
const PACKAGES = ["packages/poekit", "packages/cli", "packages/simulator", "packages/create-poekit"];

const run = (args) => {
  const result = spawnSync("npm", args, {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (result.status !== 0) {
    console.error(
      `pack: npm ${args.join(" ")} failed (${result.error?.message ?? `exit code ${result.status}`}).`,
    );
    process.exit(result.status || 1);
  }
  return result.stdout;
};

console.log("pack: building (npm run build)…");
run(["run", "build"]);
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
// Each package's prepack runs: the simulator's builds its chat page again, so the page is never missing.
const output = run(["pack", ...PACKAGES.flatMap((p) => ["-w", p]), "--pack-destination", out, "--json"]);
// The prepack scripts print to the same stdout, before npm's JSON list.
const packed = JSON.parse(output.slice(output.search(/^\[$/m)));
for (const { name, filename, size, entryCount } of packed) {
  console.log(
    `pack: ${name.padEnd(18)} packs/${filename}  ${(size / 1024).toFixed(0)} kB, ${entryCount} files`,
  );
}
const creator = readdirSync(out).find((name) => name.startsWith("create-poekit-"));
console.log(`
Start a bot project on these packages (from the folder where it should go):
  npx --yes --package ${path.join(out, creator)} create-poekit my-bot --packages ${out}
  cd my-bot && npm install && npm run dev`);
