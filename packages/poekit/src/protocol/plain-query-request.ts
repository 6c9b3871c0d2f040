import type * as z from "zod/mini";
import { isJsonObject } from "./json.js";
import { type Field, type FieldTable, fieldTableOf, INVALID, type Reader } from "./plain-fields.js";
import { type QueryRequest, QueryRequestSchema } from "./query-request.js";

/** How deeply a plain request nests, at most: the request, `query`, a message, an empty map in it. */
export const PLAIN_QUERY_MAX_DEPTH = 4;

/**
 * Reads the common shape of a query request by hand, for the server's hot path: zod's parse was the
 * largest share of the SDK's own time per echo query. It gives exactly what `QueryRequestSchema`
 * gives (the same values, the same key order: fields of the schema present in the input, in the
 * schema's order; then unknown keys, in the input's order; then the defaults of absent fields), or
 * `undefined` when the request is not of the plain shape below, and then the schema reads it (and
 * words any error). The fields, their order, types and defaults are read from the schema itself
 * (see `fieldTableOf`); a property test holds the two readers together.
 *
 * Plain means: every field the schema knows is absent, `null`, or of a primitive type the schema
 * accepts; lists and maps among them (tools, users, attachments, …) are absent, `null` or empty,
 * except lists of primitives (`stop_sequences`); messages refer to no other message and carry no
 * sender; unknown keys hold primitives. So a plain request nests at most {@link PLAIN_QUERY_MAX_DEPTH} levels, and a
 * server need not walk it to check its depth.
 *
 * @example
 * const json = JSON.parse(body);
 * const request = readPlainQueryRequest(json) ?? QueryRequestSchema.parse(json);
 */
export function readPlainQueryRequest(input: unknown): QueryRequest | undefined {
  if (!isJsonObject(input) || input.type !== "query") return undefined;
  return readObject(input, REQUEST_SHAPE) as QueryRequest | undefined;
}

/**
 * Reads `input` field by field into an object with the schema's key order: fields present in the
 * schema's order (a `null` given its default where it stands), then unknown keys as they are (the
 * schema's objects are loose), then the defaults of the absent fields, in the order the schema
 * fills them.
 *
 * How the object is made matters more than the reading: built key by key, a request's twenty-odd keys
 * make V8 keep it as a hash table, and `Object.fromEntries` costs more than all the rest of the
 * reading (docs/benchmarks.md, echo). So a request with no unknown keys is written into a copy of a
 * template made once for its set of present fields: a spread copy takes the template's hidden class whole, and writing
 * existing keys changes no shape. Anything else takes the general path.
 */
function readObject(input: Record<string, unknown>, shape: Shape): Record<string, unknown> | undefined {
  let present = 0;
  for (const key in input) {
    const index = shape.indexOf.get(key);
    // An unknown key (an own `__proto__` among them) is for the general path.
    if (index === undefined) return readGeneral(input, shape);
    present |= 1 << index;
  }
  if ((present & shape.required) !== shape.required) return undefined;
  const template = shape.templateFor(present);
  if (template === undefined) return readGeneral(input, shape);
  // Absent fields already hold their defaults in the template, but for those made fresh each time.
  const out = { ...template.object };
  const fields = shape.fields;
  for (let i = 0; i < fields.length; i++) {
    if ((present & (1 << i)) === 0) continue;
    const [key, read, , makeDefault] = fields[i] as Field;
    const value = read(input[key]);
    if (value === INVALID) return undefined;
    out[key] = value === null && makeDefault ? makeDefault() : value;
  }
  for (const i of template.fresh) {
    const [key, , , makeDefault] = fields[i] as Field;
    out[key] = (makeDefault as () => unknown)();
  }
  return out;
}

/** `readObject` for any input, unknown keys included: slower, the same result. */
function readGeneral(input: Record<string, unknown>, shape: Shape): Record<string, unknown> | undefined {
  const entries: Array<[string, unknown]> = [];
  let absent = 0;
  for (const [key, read, required, makeDefault] of shape.fields) {
    if (!Object.hasOwn(input, key)) {
      if (required) return undefined;
      absent++;
      continue;
    }
    const value = read(input[key]);
    if (value === INVALID) return undefined;
    entries.push([key, value === null && makeDefault ? makeDefault() : value]);
  }
  for (const key in input) {
    if (!Object.hasOwn(input, key) || shape.indexOf.has(key)) continue;
    // An own `__proto__` (JSON.parse makes one) is left to the schema, whatever it does with it.
    if (key === "__proto__") return undefined;
    const value = input[key];
    // Unknown objects and lists would make the depth unbounded (see PLAIN_QUERY_MAX_DEPTH).
    if (typeof value === "object" && value !== null) return undefined;
    entries.push([key, value]);
  }
  if (absent > 0) {
    for (const i of shape.defaultOrder) {
      const [key, , , makeDefault] = shape.fields[i] as Field;
      if (!Object.hasOwn(input, key)) entries.push([key, (makeDefault as () => unknown)()]);
    }
  }
  // `Object.fromEntries` gives the object fast properties, which key-by-key writes would not.
  return Object.fromEntries(entries);
}

/** A template: the object to copy, and the absent fields whose defaults are made fresh each time. */
interface Template {
  object: Record<string, unknown>;
  fresh: readonly number[];
}

/** The fields of an object schema, with the templates of the key orders seen so far. */
class Shape {
  readonly fields: readonly Field[];
  /** The fields with defaults, in the order the schema fills them (after the present fields). */
  readonly defaultOrder: readonly number[];
  /** Each field's place in `fields` (so, too, which keys are known). */
  readonly indexOf: ReadonlyMap<string, number>;
  /** The bits of the required fields. */
  readonly required: number;
  /** Which fields' defaults are objects, made anew for every request so that none is shared. */
  readonly fresh: readonly boolean[];
  private readonly templates = new Map<number, Template>();

  constructor({ fields, defaultOrder }: FieldTable) {
    this.fields = fields;
    this.defaultOrder = defaultOrder;
    if (fields.length > 31) throw new RangeError("A shape's present fields must fit in 31 bits.");
    this.indexOf = new Map(fields.map(([key], i) => [key, i]));
    this.required = fields.reduce((bits, [, , required], i) => (required ? bits | (1 << i) : bits), 0);
    this.fresh = fields.map(([, , , makeDefault]) => {
      const value = makeDefault?.();
      return typeof value === "object" && value !== null;
    });
  }

  /**
   * The template for the fields in `present` (a bit per field): present ones in order, then the
   * defaults of absent ones. At most MAX_TEMPLATES are kept, so odd requests cannot grow memory;
   * past that, `undefined` sends a request down the general path.
   */
  templateFor(present: number): Template | undefined {
    let template = this.templates.get(present);
    if (template === undefined && this.templates.size < MAX_TEMPLATES) {
      const entries: Array<[string, unknown]> = [];
      const fresh: number[] = [];
      this.fields.forEach(([key], i) => {
        if ((present & (1 << i)) !== 0) entries.push([key, null]);
      });
      for (const i of this.defaultOrder) {
        if ((present & (1 << i)) !== 0) continue;
        const [key, , , makeDefault] = this.fields[i] as Field;
        entries.push([key, this.fresh[i] ? null : (makeDefault as () => unknown)()]);
        if (this.fresh[i]) fresh.push(i);
      }
      template = { object: Object.fromEntries(entries), fresh };
      this.templates.set(present, template);
    }
    return template;
  }
}

/** Sets of present fields remembered per shape: real clients send a handful. */
const MAX_TEMPLATES = 64;

/** A list of objects of `itemSchema`, each read with the schema's own table: the request's messages. */
function readItemsOf(itemSchema: z.core.$ZodType): Reader {
  const shape = new Shape(fieldTableOf(itemSchema));
  return (value) => {
    if (!Array.isArray(value)) return INVALID;
    const items: Array<Record<string, unknown>> = [];
    for (const item of value) {
      const read = isJsonObject(item) ? readObject(item, shape) : undefined;
      if (read === undefined) return INVALID;
      items.push(read);
    }
    return items;
  };
}

const REQUEST_SHAPE = new Shape(fieldTableOf(QueryRequestSchema, readItemsOf));
