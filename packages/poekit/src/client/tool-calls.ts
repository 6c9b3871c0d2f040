import type { ToolCallDefinition, ToolCallDefinitionDelta } from "../protocol/tools.js";

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
