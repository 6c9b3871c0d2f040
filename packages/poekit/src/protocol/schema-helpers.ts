import { z } from "zod";

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

/**
 * An optional field that Poe may send as a missing key or as `null` (its servers use pydantic models
 * that write `null` for absent values); both become `fallback()`. A factory keeps defaults fresh.
 */
export function withDefault<T extends z.ZodType>(schema: T, fallback: () => z.output<T>) {
  return schema.nullish().transform((value): z.output<T> => value ?? fallback());
}

/** An optional field whose absent value is `null`, whether it was sent as missing or as `null`. */
export function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value): z.output<T> | null => value ?? null);
}
