/**
 * `@poekit/simulator/exchange`: talking to a bot server as Poe does — one request sent and its
 * response graded against the protocol, the events folded into an answer, violations reported back —
 * without the rest of the simulator. `poekit chat` is built on it.
 */

export { fetchBotSettings, type SettingsFetch } from "./bots/fetch-settings.js";
export type { AnswerState } from "./query/answer-state.js";
export { applyEvent, createAnswer } from "./query/answer-state.js";
export { generateAccessKey } from "./query/generated-key.js";
export { latestHistory } from "./query/history-limit.js";
export { queryRequestBody } from "./query/query-request.js";
export { type ReportViolationsOptions, reportViolations } from "./query/report-violations.js";
export type {
  ExchangeLimits,
  ExchangeObserver,
  ExchangeOutcome,
  ExchangeTarget,
  FetchLike,
} from "./query/run-exchange.js";
export { runExchange } from "./query/run-exchange.js";
