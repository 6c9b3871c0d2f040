// Runs one scenario in a process of its own (forked by bench/run.ts, from its built copy, so with no
// TypeScript loader) and sends the result back over IPC: no scenario inherits another's heap,
// sockets or JIT state.
import { SCENARIOS } from "../scenarios/index.js";
import type { ScenarioContext } from "./scenario.js";

const [name, contextJson] = process.argv.slice(2);
const context = JSON.parse(contextJson ?? "{}") as ScenarioContext;

let message: unknown;
try {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) throw new Error(`No scenario named ${name}.`);
  message = { type: "result", result: await scenario.run(context) };
} catch (error) {
  message = {
    type: "error",
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  };
}
process.send?.(message, () => process.disconnect?.());
