/**
 * A model behind any OpenAI-compatible endpoint, served as a Poe bot: the bot
 * ({@link OpenAIModelBot}), the `--model NAME=URL#MODEL` spec it is made from, the conversion of Poe's
 * conversation into chat completions messages, and the reading of the endpoint's chunks back into Poe
 * events.
 */
export { type ChatMessage, type ChatToolCall, toChatMessages } from "./chat-messages.js";
export { type ModelSpec, parseModelSpec } from "./model-spec.js";
export { MODEL_API_KEY_ENV, OpenAIModelBot, type OpenAIModelBotOptions } from "./openai-model-bot.js";
