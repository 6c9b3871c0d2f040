/**
 * Tool-call deltas of one answer, put in the shape Poe's models send. Servers differ in small ways
 * (some leave out `index` or `type`, some send whole calls one per chunk, some send `arguments` as an
 * object); this evens them out so that poekit's (and fastapi_poe's) tool loops always see one shape.
 * One instance per answer: it remembers which index each call id got.
 * @example
 * const deltas = new ToolCallDeltas();
 * deltas.normalize({ id: "a", function: { name: "w", arguments: { city: "Oslo" } } });
 * // { index: 0, id: "a", type: "function", function: { name: "w", arguments: '{"city":"Oslo"}' } }
 */
export class ToolCallDeltas {
  // Servers that leave out `index` get one assigned per call id.
  readonly #indexById = new Map<string, number>();
  #nextIndex = 0;
  #lastIndex = 0;

  /**
   * One delta with `index` always, and on a call's first delta its `id`, `type` ("function" when the
   * server left it out) and function name; `arguments` always a string. Undefined for a non-object.
   */
  normalize(value: unknown): Record<string, unknown> | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const piece = value as { index?: unknown; id?: unknown; type?: unknown; function?: unknown };
    const fn = (typeof piece.function === "object" && piece.function !== null ? piece.function : {}) as {
      name?: unknown;
      arguments?: unknown;
    };
    const id = typeof piece.id === "string" && piece.id !== "" ? piece.id : undefined;
    const index = this.#indexOf(piece.index, id);
    const args = fn.arguments;
    const normalized: Record<string, unknown> = { index };
    if (id !== undefined) {
      normalized.id = id;
      normalized.type = typeof piece.type === "string" ? piece.type : "function";
    }
    const call: Record<string, unknown> = {};
    if (typeof fn.name === "string" && fn.name !== "") call.name = fn.name;
    call.arguments =
      typeof args === "string" ? args : args === undefined || args === null ? "" : JSON.stringify(args);
    normalized.function = call;
    return normalized;
  }

  #indexOf(given: unknown, id: string | undefined): number {
    let index: number;
    if (typeof given === "number" && Number.isInteger(given)) index = given;
    else if (id !== undefined) index = this.#indexById.get(id) ?? this.#nextIndex;
    else index = this.#lastIndex; // a continuation without index belongs to the call being streamed
    if (id !== undefined) this.#indexById.set(id, index);
    this.#nextIndex = Math.max(this.#nextIndex, index + 1);
    this.#lastIndex = index;
    return index;
  }
}
