/**
 * poekit/testing: test a bot without Poe and without a network.
 * - `createTestClient` talks to a bot (or an app from `makeApp`) in-process, as Poe would, and sums up
 *   each answer (`text`, `suggestedReplies`, `files`, `error`, `done`, …).
 * - `mockBots` answers the bot's own client calls (`streamRequest`, uploads, settings sync, cost calls)
 *   with scripted bots, and records them; `mockToolCalls` and `mockTextChunks` script a model's output.
 * Works with any test runner.
 * @example
 * import { createTestClient, mockBots } from "poekit/testing";
 * using mocks = mockBots({ "GPT-4o-Mini": "Bonjour !" });
 * const response = await createTestClient(new TranslatorBot({ accessKey })).query("Hello");
 * assert.equal(response.text, "Bonjour !");
 */

// Mock upstream bots and Poe's APIs
export type { MockBotCall, MockBotHandler, MockReply } from "./mock-bot.js";
export type {
  MockBots,
  MockBotsOptions,
  MockCostCall,
  MockReport,
  MockSettingsSync,
  MockUpload,
} from "./mock-bots.js";
export { mockBots } from "./mock-bots.js";
// Scripted model output
export type { MockChunkOptions, MockToolCall } from "./mock-events.js";
export { mockTextChunks, mockToolCalls } from "./mock-events.js";
// The in-process client
export type {
  TestClient,
  TestClientOptions,
  TestEvent,
  TestFeedback,
  TestMessage,
  TestQueryInput,
  TestQueryRequestInit,
  TestReaction,
  TestReportError,
  TestReportResult,
  TestResponse,
} from "./test-client.js";
export { createTestClient } from "./test-client.js";
