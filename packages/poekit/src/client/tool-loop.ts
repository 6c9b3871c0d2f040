import type * as core from "zod/v4/core";
import { firstChoice, parseToolCallDeltas } from "../protocol/tool-call-chunks.js";
import type { ToolCallDefinition, ToolResultDefinition } from "../protocol/tools.js";
import { PartialResponse } from "../server/responses.js";
import type { BotMessage } from "./response-reader.js";
import { ToolCallAccumulator } from "./tool-calls.js";
import { runToolCalls, type ToolExecutable } from "./tool-runner.js";

/** One model call with the calls and results of earlier rounds. */
export type ModelCall = (
  toolCalls: ToolCallDefinition[] | undefined,
  toolResults: ToolResultDefinition[] | undefined,
) => AsyncIterable<BotMessage>;

/**
 * The model → tools → model loop. Model chunks (`json` events in OpenAI's format) become text; tool
 * calls are collected, run, and sent back with their results, for up to `maxRounds` rounds; then the
 * last answer streams through. Without executables the tool-call pieces are yielded for the caller.
 */
export async function* toolLoop(options: {
  call: ModelCall;
  executables: ReadonlyMap<string, ToolExecutable> | undefined;
  schemas: ReadonlyMap<string, core.$ZodType>;
  maxRounds: number;
}): AsyncGenerator<BotMessage, void, undefined> {
  const allCalls: ToolCallDefinition[] = [];
  const allResults: ToolResultDefinition[] = [];
  for (let round = 0; ; round++) {
    // In the last round (or with no executables) tool calls go to the caller instead.
    const collect = options.executables !== undefined && round < options.maxRounds;
    const accumulator = new ToolCallAccumulator();
    const stream = options.call(round === 0 ? undefined : allCalls, round === 0 ? undefined : allResults);
    for await (const message of stream) {
      const choice = message instanceof PartialResponse ? firstChoice(message.data) : undefined;
      if (!choice || !(message instanceof PartialResponse)) {
        yield message;
        continue;
      }
      const deltas = parseToolCallDeltas(choice.delta?.tool_calls);
      if (deltas.length > 0) {
        if (collect) accumulator.add(deltas);
        else yield new PartialResponse({ text: "", tool_calls: deltas, raw_response: message.raw_response });
      } else if (typeof choice.delta?.content === "string" && choice.delta.content !== "") {
        yield new PartialResponse({ text: choice.delta.content, raw_response: message.raw_response });
      }
    }
    const calls = accumulator.calls();
    if (!collect || calls.length === 0 || !options.executables) return;
    const results = await runToolCalls(calls, options.executables, options.schemas);
    allCalls.push(...calls);
    allResults.push(...results);
  }
}
