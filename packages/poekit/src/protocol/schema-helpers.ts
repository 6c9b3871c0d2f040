import * as z from "zod/mini";
import { useEnglishMessages } from "./zod-messages.js";

useEnglishMessages();

/**
 * A string field whose known values are listed but whose unknown values are still accepted, as the
 * protocol asks for forward compatibility. The type keeps the known values for completion while
 * `(string & {})` stops the union collapsing to `string`, so an exhaustive `switch` must handle the rest.
 */
export function openEnum<const T extends readonly string[]>(_known: T) {
  return z.custom<T[number] | (string & {})>((value) => typeof value === "string", {
    error: "expected a string",
  });
}

/** For each optional field, a factory of its default (fresh, so arrays and objects are never shared). */
export type Defaults<T> = { [K in keyof T]?: () => Exclude<T[K], undefined> };

/**
 * `T` after its defaults are filled: each field with a default is present, and `null` only where
 * the default itself is `null`.
 */
export type WithDefaults<T, D> = { [K in keyof T as K extends keyof D ? never : K]: T[K] } & {
  -readonly [K in keyof T & keyof D]-?: D[K] extends () => infer R
    ? Exclude<T[K], undefined | null> | (null extends R ? null : never)
    : never;
};

/**
 * A loose object (unknown keys kept) whose optional fields Poe may send as a missing key or as `null`
 * (its servers use pydantic models that write `null` for absent values); either way the field gets
 * its default. The defaults are filled in one pass after validation rather than by a transform per
 * field, because request parsing is on every query's path and per-field transforms cost several
 * times more.
 * @example
 * const Schema = looseObjectWithDefaults({ name: z.nullish(z.string()) }, { name: () => "anonymous" });
 * Schema.parse({ name: null }); // { name: "anonymous" }
 */
export function looseObjectWithDefaults<
  const S extends z.core.$ZodLooseShape,
  D extends Defaults<z.output<z.ZodMiniObject<S, z.core.$loose>>>,
>(shape: S, defaults: D) {
  const entries = Object.entries(defaults) as Array<[string, () => unknown]>;
  const object = z.looseObject(shape);
  type Parsed = z.output<typeof object>;
  const schema = z.pipe(
    object,
    z.transform((value: Parsed) => {
      const filled: Record<string, unknown> = value;
      for (const [key, make] of entries) if (filled[key] == null) filled[key] = make();
      return filled as WithDefaults<Parsed, D>;
    }),
  );
  FIELDS.set(schema, { keys: Object.keys(shape), defaults: defaults as Defaults<Record<string, unknown>> });
  return schema;
}

/** A schema's fields in declaration order, and the defaults of its optional ones. */
export interface SchemaFields {
  readonly keys: readonly string[];
  readonly defaults: Defaults<Record<string, unknown>>;
}

const FIELDS = new WeakMap<object, SchemaFields>();

/**
 * The fields of a schema made by {@link looseObjectWithDefaults}, so that code writing a value (not
 * only reading one) fills the same defaults in the same order, from this one list.
 * @example
 * fieldsOf(SenderSchema).keys; // ["id", "name"]
 */
export function fieldsOf(schema: object): SchemaFields {
  const fields = FIELDS.get(schema);
  if (!fields) throw new TypeError("fieldsOf takes a schema made by looseObjectWithDefaults.");
  return fields;
}
