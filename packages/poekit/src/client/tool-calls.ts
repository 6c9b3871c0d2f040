import type { ToolCallDefinition, ToolCallDefinitionDelta } from "../protocol/tools.js";
import { ToolCallDefinitionDeltaSchema } from "../protocol/tools.js";

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
 * Adds streamed tool-call pieces up into whole calls, by `index`. A call starts with the piece that
 * names its id and function; later pieces append to its arguments. Pieces of an index that has not
 * started are dropped, as nothing could be done with them.
 * @example
 * const calls = new ToolCallAccumulator();
 * calls.add([{ index: 0, id: "c1", type: "function", function: { name: "f", arguments: '{"a"' } }]);
 * calls.add([{ index: 0, id: null, type: null, function: { name: null, arguments: ":1}" } }]);
 * calls.calls(); // [{ id: "c1", type: "function", function: { name: "f", arguments: '{"a":1}' } }]
 */
export class ToolCallAccumulator {
  readonly #byIndex = new Map<number, ToolCallDefinition>();

  add(deltas: readonly ToolCallDefinitionDelta[]): void {
    for (const delta of deltas) {
      const index = delta.index ?? 0;
      const existing = this.#byIndex.get(index);
      if (existing) {
        existing.function.arguments += delta.function.arguments ?? "";
      } else if (delta.id && delta.function.name) {
        this.#byIndex.set(index, {
          id: delta.id,
          type: delta.type ?? "function",
          function: { name: delta.function.name, arguments: delta.function.arguments ?? "" },
        });
      }
    }
  }

  /** The calls so far, in index order. */
  calls(): ToolCallDefinition[] {
    return [...this.#byIndex.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  }
}
