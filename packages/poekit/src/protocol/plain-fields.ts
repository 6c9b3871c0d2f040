import type * as z from "zod/mini";
import { isJsonObject } from "./json.js";
import { fieldsOf } from "./schema-helpers.js";

/** What a reader returns for a value it does not take. */
export const INVALID: unique symbol = Symbol("invalid");

/** Takes a field's plain value (a fresh copy of a list or map), or returns INVALID. */
export type Reader = (value: unknown) => unknown;

/** A field: its name, how it is read, whether it is required, and its default when absent or null. */
export type Field = readonly [key: string, read: Reader, required: boolean, makeDefault?: () => unknown];

/** An object schema's fields in its order, and the order in which it fills the defaults of absent ones. */
export interface FieldTable {
  fields: readonly Field[];
  /** Indexes into `fields`. */
  defaultOrder: readonly number[];
}

/**
 * The plain reader's table of an object schema made by `looseObjectWithDefaults` (a loose object
 * piped into the pass that fills defaults), read from the schema itself: the object's shape gives the
 * fields, their order and their types, and the defaults recorded with it give every default (fieldsOf),
 * in the order it fills them. So a field added to the schema needs nothing here.
 *
 * Which values are plain follows from the types: primitives the schema accepts, `null` where it
 * accepts `null`, lists of primitives, and empty lists and maps of anything else; a nested object only
 * as `null`. `readItems`, when given, reads a required list of objects item by item (the request's
 * messages, whose own lists must then be empty, so a plain request nests a bounded depth). A type
 * the reader does not know, or one with refinements, is never plain: the schema reads it.
 * @example
 * const { fields } = fieldTableOf(ProtocolMessageSchema);
 * fields[0]; // ["role", read, true, undefined]
 */
export function fieldTableOf(
  schema: z.core.$ZodType,
  readItems?: (item: z.core.$ZodType) => Reader,
): FieldTable {
  const parts = partsOf(schema);
  if (parts === undefined)
    throw new TypeError("fieldTableOf takes a schema made by looseObjectWithDefaults.");
  // The defaults' own factories, recorded when the schema was made: the same ones its fill pass runs.
  const { defaults } = fieldsOf(schema);
  const keys = Object.keys(parts.shape);
  const fields = keys.map((key): Field => {
    const type = parts.shape[key] as z.core.$ZodType;
    const required = defOf(type).type !== "optional";
    const read = readerOf(type, required ? readItems : undefined);
    return [key, read, required, defaults[key]];
  });
  const defaultOrder = Object.keys(defaults).map((key) => {
    const index = keys.indexOf(key);
    if (index < 0)
      throw new TypeError(`The schema has a default for "${key}", which is not one of its fields.`);
    return index;
  });
  return { fields, defaultOrder };
}

/** The parts of a schema made by `looseObjectWithDefaults`, or `undefined` for any other. */
function partsOf(
  schema: z.core.$ZodType,
): { shape: Record<string, z.core.$ZodType>; fill: z.core.$ZodType } | undefined {
  const def = defOf(schema);
  if (def.type !== "pipe" || def.in === undefined || def.out === undefined) return undefined;
  const object = defOf(def.in);
  if (object.type !== "object" || object.shape === undefined || defOf(def.out).type !== "transform") {
    return undefined;
  }
  return { shape: object.shape, fill: def.out };
}

/** What the table reads of a zod definition; zod documents `_zod.def` for libraries that walk schemas. */
interface Definition {
  type: string;
  /** Refinements added to the type (`.check(...)`). */
  checks?: readonly unknown[];
  /** Set when the type is itself a refinement: a format such as `z.int()` or `z.email()`, or `z.custom`. */
  check?: string;
  innerType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  values?: readonly unknown[];
  fn?: (value: unknown) => unknown;
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
}

function defOf(schema: z.core.$ZodType): Definition {
  return schema._zod.def as unknown as Definition;
}

function readerOf(schema: z.core.$ZodType, readItems?: (item: z.core.$ZodType) => Reader): Reader {
  const def = defOf(schema);
  if (def.checks !== undefined && def.checks.length > 0) return never;
  switch (def.type) {
    // Absence is told by the key (JSON holds no `undefined`).
    case "optional":
      return def.innerType ? readerOf(def.innerType, readItems) : never;
    case "nullable":
      return def.innerType ? nullable(readerOf(def.innerType, readItems)) : never;
    case "array":
      return def.element ? listReaderOf(def.element, readItems) : never;
    case "record":
      return emptyMap;
    default:
      return primitiveReaderOf(schema) ?? never;
  }
}

function listReaderOf(element: z.core.$ZodType, readItems?: (item: z.core.$ZodType) => Reader): Reader {
  const item = primitiveReaderOf(element);
  if (item !== undefined) {
    return (value) =>
      Array.isArray(value) && value.every((one) => item(one) !== INVALID) ? [...value] : INVALID;
  }
  if (readItems !== undefined && partsOf(element) !== undefined) return readItems(element);
  return emptyList;
}

/** The reader of a primitive type, or `undefined` when the type is not one. */
function primitiveReaderOf(schema: z.core.$ZodType): Reader | undefined {
  const def = defOf(schema);
  if (def.checks !== undefined && def.checks.length > 0) return undefined;
  if (def.check !== undefined && def.type !== "custom") return undefined;
  switch (def.type) {
    case "string":
      return string;
    case "number":
      return finiteNumber;
    case "boolean":
      return boolean;
    case "literal": {
      const values = def.values ?? [];
      return (value) => (values.includes(value) ? value : INVALID);
    }
    case "custom": {
      // An open enum: the schema's own check, on primitives only (a custom check of objects would
      // let the depth grow).
      const check = def.fn;
      if (check === undefined) return undefined;
      return (value) => (typeof value !== "object" && check(value) === true ? value : INVALID);
    }
    default:
      return undefined;
  }
}

const never: Reader = () => INVALID;
const string: Reader = (value) => (typeof value === "string" ? value : INVALID);
const finiteNumber: Reader = (value) =>
  typeof value === "number" && Number.isFinite(value) ? value : INVALID;
const boolean: Reader = (value) => (typeof value === "boolean" ? value : INVALID);
const nullables = new Map<Reader, Reader>();
/**
 * `null` or what `read` takes. (`undefined`, which JSON cannot hold, is left to the schema.) One per
 * reader, shared by the fields that use it: fewer functions at the reading's call site.
 */
function nullable(read: Reader): Reader {
  let reader = nullables.get(read);
  if (reader === undefined) {
    reader = (value) => (value === null ? null : read(value));
    nullables.set(read, reader);
  }
  return reader;
}
/** A list of anything: only an empty one is plain (a new one, as the schema's parse makes). */
const emptyList: Reader = (value) => (Array.isArray(value) && value.length === 0 ? [] : INVALID);
/** A map of anything: only an empty one is plain. */
const emptyMap: Reader = (value) => (isJsonObject(value) && Object.keys(value).length === 0 ? {} : INVALID);
