// Reading a model's answer as Poe relays it: OpenAI-style chunks in `json` events. The client's tool
// loop and the simulator's grader read them the same way, from here.
import type { ToolCallDefinitionDelta } from "./tools.js";
import { ToolCallDefinitionDeltaSchema } from "./tools.js";

/** The first choice of an OpenAI-style chunk (the data of a `json` event), when it is one. */
export interface ChunkChoice {
  delta: { content?: unknown; tool_calls?: unknown } | undefined;
  finish_reason: unknown;
}

/** Reads `choices[0]` from a `json` event's data; `undefined` for anything else. */
export function firstChoice(data: Record<string, unknown> | null): ChunkChoice | undefined {
  const choices = data?.choices;
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  const choice = choices[0] as { delta?: unknown; finish_reason?: unknown } | null;
  if (typeof choice !== "object" || choice === null) return undefined;
  const delta = typeof choice.delta === "object" && choice.delta !== null ? choice.delta : undefined;
  return { delta: delta as ChunkChoice["delta"], finish_reason: choice.finish_reason ?? null };
}

/** The tool-call pieces of a chunk, validated; pieces that are not objects are dropped. */
export function parseToolCallDeltas(value: unknown): ToolCallDefinitionDelta[] {
  if (!Array.isArray(value)) return [];
  const deltas: ToolCallDefinitionDelta[] = [];
  for (const item of value) {
    const parsed = ToolCallDefinitionDeltaSchema.safeParse(item);
    if (parsed.success) deltas.push(parsed.data);
  }
  return deltas;
}

/**
 * Whether a query request offers the model tools: a non-empty `tools` list. An empty list offers none,
 * so an answer to it must carry text like any other.
 * @example
 * offersTools({ tools: [] }); // false
 */
export function offersTools(body: unknown): boolean {
  const tools = typeof body === "object" && body !== null ? (body as { tools?: unknown }).tools : undefined;
  return Array.isArray(tools) && tools.length > 0;
}

/**
 * Whether a `json` event's data carries tool-call pieces: an answer made of them has no text by nature
 * when the request offered tools, and is a normal answer.
 * @example
 * carriesToolCalls({ choices: [{ delta: { tool_calls: [{ index: 0, function: { name: "f" } }] } }] }); // true
 */
export function carriesToolCalls(data: unknown): boolean {
  const object = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : null;
  return parseToolCallDeltas(firstChoice(object)?.delta?.tool_calls).length > 0;
}
