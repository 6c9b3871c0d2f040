/**
 * Bots the simulator runs in its own process, so that it is useful offline: `Echo`, `ScriptedLLM`
 * (a deterministic model with tool calls), and models behind OpenAI-compatible endpoints.
 */
import type { PoeBot } from "poekit";
import { EchoBot } from "./echo.js";
import { ScriptedLLM } from "./scripted-llm.js";

export { EchoBot } from "./echo.js";
export {
  type ChatMessage,
  type ChatToolCall,
  MODEL_API_KEY_ENV,
  type ModelSpec,
  OpenAIModelBot,
  type OpenAIModelBotOptions,
  parseModelSpec,
  toChatMessages,
} from "./openai-model/index.js";
export { ScriptedLLM } from "./scripted-llm.js";

/**
 * A fresh instance of each built-in bot: `Echo` on `/Echo` and `ScriptedLLM` on `/ScriptedLLM` (their
 * `botName` and `path`). Each call makes new instances, so simulators in one process share nothing.
 * @example
 * const app = makeApp(builtinBots(), { allowWithoutKey: true });
 */
export function builtinBots(): PoeBot[] {
  return [new EchoBot(), new ScriptedLLM()];
}
