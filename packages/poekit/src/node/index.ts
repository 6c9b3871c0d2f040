export type { LogFormat } from "./log-format.js";
export { parsePort } from "./parse-port.js";
export type { RunningServer, RunOptions } from "./run.js";
export { run } from "./run.js";
export type { NodeHandler } from "./to-node-handler.js";
export { toNodeHandler } from "./to-node-handler.js";
