import { PoeConfigError } from "poekit";
import { builtinBots } from "./builtin/index.js";
import { OpenAIModelBot, parseModelSpec } from "./builtin/openai-model/index.js";
import type { InProcessBot } from "./registry.js";

/**
 * The simulator's own bots, `Echo` and `ScriptedLLM`, ready for the registry.
 *
 * @example
 * createSimulator({ inProcessBots: builtinInProcessBots() });
 */
export function builtinInProcessBots(): InProcessBot[] {
  return builtinBots().map((bot) => ({
    name: bot.botName ?? bot.path.slice(1),
    kind: "builtin",
    description: (bot as { description?: string }).description ?? `built in: ${bot.constructor.name}`,
    bot,
  }));
}

/**
 * Bots answered by OpenAI-compatible endpoints, from `--model NAME=URL#MODEL` specs; the key comes from
 * `POEKIT_MODEL_API_KEY` in `env`. A bad spec throws a PoeConfigError saying what is wrong.
 *
 * @example
 * modelInProcessBots(["GPT-4o-Mini=https://api.openai.com/v1#gpt-4o-mini"], process.env);
 */
export function modelInProcessBots(
  specs: readonly string[],
  env: Record<string, string | undefined>,
): InProcessBot[] {
  return specs.map((spec) => {
    const { name, baseUrl, model } = parseModelSpec(spec);
    const bot = new OpenAIModelBot({ name, baseUrl, model, env });
    return { name, kind: "model", description: bot.description, bot };
  });
}

/**
 * Extra names answered by a built-in bot, from `--alias NAME=BUILTIN` specs: a bot written to call
 * `GPT-4o-Mini` runs offline with `GPT-4o-Mini=ScriptedLLM`. Each alias is its own instance.
 *
 * @example
 * aliasInProcessBots(["GPT-4o-Mini=ScriptedLLM"]);
 */
export function aliasInProcessBots(specs: readonly string[]): InProcessBot[] {
  return specs.map((spec) => {
    const match = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})=(\S+)$/.exec(spec.trim());
    const builtin = match && builtinBots().find((bot) => bot.botName === match[2]);
    if (!match || !builtin) {
      const names = builtinBots()
        .map((bot) => bot.botName)
        .join(" or ");
      throw new PoeConfigError(
        `--alias ${JSON.stringify(spec)} must be NAME=BUILTIN, where BUILTIN is ${names} (e.g. GPT-4o-Mini=ScriptedLLM).`,
      );
    }
    builtin.botName = match[1] as string;
    return {
      name: match[1] as string,
      kind: "builtin",
      description: `${match[2]} under another name`,
      bot: builtin,
    };
  });
}
