import type * as core from "zod/v4/core";
import { MetaResponse, PartialResponse } from "../core/responses.js";
import { firstChoice, parseToolCallDeltas } from "../protocol/tool-call-chunks.js";
import type { ToolCallDefinition, ToolResultDefinition } from "../protocol/tools.js";
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
  // Whether the caller has had anything: a `meta` must come first, so only one that does goes out.
  let started = false;
  for (let round = 0; ; round++) {
    // In the last round (or with no executables) tool calls go to the caller instead.
    const collect = options.executables !== undefined && round < options.maxRounds;
    const accumulator = new ToolCallAccumulator();
    const stream = options.call(round === 0 ? undefined : allCalls, round === 0 ? undefined : allResults);
    for await (const message of stream) {
      if (message instanceof MetaResponse) {
        // A later round's meta would reach the caller after text: a late meta, which Poe ignores.
        if (!started) yield message;
        started = true;
        continue;
      }
      const choice = message instanceof PartialResponse ? firstChoice(message.data) : undefined;
      if (!choice || !(message instanceof PartialResponse)) {
        started = true;
        yield message;
        continue;
      }
      // A model may write text in the same chunk as a tool call: both are kept.
      const content = choice.delta?.content;
      if (typeof content === "string" && content !== "") {
        started = true;
        yield new PartialResponse({ text: content, raw_response: message.raw_response });
      }
      const deltas = parseToolCallDeltas(choice.delta?.tool_calls);
      if (deltas.length === 0) continue;
      if (collect) accumulator.add(deltas);
      else {
        started = true;
        yield new PartialResponse({ text: "", tool_calls: deltas, raw_response: message.raw_response });
      }
    }
    const calls = accumulator.calls();
    if (!collect || calls.length === 0 || !options.executables) return;
    const results = await runToolCalls(calls, options.executables, options.schemas);
    allCalls.push(...calls);
    allResults.push(...results);
  }
}
