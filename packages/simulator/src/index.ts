/**
 * The poekit simulator: a local Poe with a chat page, a protocol inspector and Poe's server-side
 * APIs. `poekit sim` starts it; programs and tests use {@link startSimulator}.
 */

export type { Simulator, SimulatorOptions } from "./app.js";
export { createSimulator } from "./app.js";
export { aliasInProcessBots, builtinInProcessBots, modelInProcessBots } from "./bots/in-process-bots.js";
export type { InProcessBot } from "./bots/registry.js";
export { BotRegistry } from "./bots/registry.js";
export type { StaleReport } from "./bots/stale-bots.js";
export { StaleBots } from "./bots/stale-bots.js";
export { DEFAULT_DB_PATH, DEFAULT_FILE_TTL_SECONDS, DEFAULT_SIMULATOR_PORT } from "./defaults.js";
export * from "./exchange.js";
export type * from "./model.js";
export type { BotRegistration, RunningSimulator, StartSimulatorOptions } from "./start.js";
export { startSimulator } from "./start.js";
export { SIMULATOR_VERSION } from "./version.js";
