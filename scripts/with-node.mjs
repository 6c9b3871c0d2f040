// Runs a command with a supported Node first on PATH (see node-runtime.mjs), so that it and every
// `#!/usr/bin/env node` tool it starts run on that Node. `npm test`, `npm start`, bench and soak go
// through it: `node scripts/with-node.mjs <command> [args…]`.
import { spawn } from "node:child_process";
import path from "node:path";
import { chooseNode } from "./node-runtime.mjs";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error(
    "usage: node scripts/with-node.mjs <command> [args…]   (POEKIT_NODE=22|26|system picks the Node)",
  );
  process.exit(2);
}

let chosen;
try {
  chosen = chooseNode();
} catch (error) {
  console.error(`with-node: ${error.message}`);
  process.exit(2);
}
if (chosen.node !== process.execPath) {
  console.error(`with-node: running on Node ${chosen.version} (${chosen.reason}).`);
}

const bin = path.dirname(chosen.node);
const env = {
  ...process.env,
  PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
  POEKIT_NODE_PATH: chosen.node,
};
// Under npm, npm_node_execpath names the node that ran npm; tools that read it must see the chosen one.
if (env.npm_node_execpath) env.npm_node_execpath = chosen.node;
if (env.NODE) env.NODE = chosen.node;

const child = spawn(command, args, { stdio: "inherit", env, shell: process.platform === "win32" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  console.error(`with-node: could not run ${command}: ${error.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
