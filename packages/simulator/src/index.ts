/**
 * The poekit simulator: a local Poe with a chat page, a protocol inspector and Poe's server-side
 * APIs. `poekit sim` starts it; programs and tests use {@link startSimulator}.
 */

export type { Simulator, SimulatorOptions } from "./app.js";
export { createSimulator } from "./app.js";
export { fetchBotSettings } from "./bots/fetch-settings.js";
export { aliasInProcessBots, builtinInProcessBots, modelInProcessBots } from "./bots/in-process-bots.js";
export type { InProcessBot } from "./bots/registry.js";
export { BotRegistry } from "./bots/registry.js";
export { DEFAULT_FILE_TTL_SECONDS } from "./files/file-urls.js";
export type * from "./model.js";
export type { AnswerState } from "./query/answer-state.js";
export { applyEvent, createAnswer } from "./query/answer-state.js";
export type { ReportViolationsOptions } from "./query/report-violations.js";
export { reportViolations } from "./query/report-violations.js";
export type {
  ExchangeLimits,
  ExchangeObserver,
  ExchangeOutcome,
  ExchangeTarget,
} from "./query/run-exchange.js";
export { runExchange } from "./query/run-exchange.js";
export type { BotRegistration, RunningSimulator, StartSimulatorOptions } from "./start.js";
export { DEFAULT_SIMULATOR_PORT, startSimulator } from "./start.js";
export { DEFAULT_DB_PATH } from "./store/database.js";
export { SIMULATOR_VERSION } from "./version.js";
