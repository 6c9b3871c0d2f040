import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import * as protocol from "./index.js";

/**
 * fastapi_poe writes `null` for every optional field left unset, and Poe's servers share its models, so
 * every field poekit's schemas let be absent must take `null` too. Rather than list fields by hand
 * (and miss the next one added), this walks every schema `poekit/protocol` exports, down through
 * objects, unions, lists, maps and pipes, and checks each optional field it meets.
 */

type Schema = core.$ZodType;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && "_zod" in value;
}

/** The exported schemas by name, those inside the request and response-event tables included. */
function exportedSchemas(): Array<[string, Schema]> {
  const out: Array<[string, Schema]> = [];
  for (const [name, value] of Object.entries(protocol)) {
    if (isSchema(value)) out.push([name, value]);
  }
  for (const [table, entries] of [
    ["REQUEST_SCHEMAS", protocol.REQUEST_SCHEMAS],
    ["RESPONSE_EVENT_SCHEMAS", protocol.RESPONSE_EVENT_SCHEMAS],
  ] as const) {
    for (const [name, value] of Object.entries(entries)) out.push([`${table}.${name}`, value as Schema]);
  }
  return out;
}

/** A field that may be absent: where it sits, and its own schema. */
interface OptionalField {
  path: string;
  schema: Schema;
}

/** Every optional field reachable from `root`, each object visited once. */
function optionalFields(rootName: string, root: Schema): OptionalField[] {
  const found: OptionalField[] = [];
  const seen = new Set<Schema>();
  const walk = (schema: Schema, path: string): void => {
    if (seen.has(schema)) return;
    seen.add(schema);
    // The def's shape depends on its type; only the keys used below are read.
    const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
    const children: Array<[unknown, string]> = [];
    switch (def.type) {
      case "object":
        for (const [key, field] of Object.entries(def.shape as Record<string, Schema>)) {
          if (field._zod.optin === "optional") found.push({ path: `${path}.${key}`, schema: field });
          children.push([field, `${path}.${key}`]);
        }
        break;
      case "pipe":
        children.push([def.in, path], [def.out, path]);
        break;
      case "union":
        for (const option of def.options as Schema[]) children.push([option, path]);
        break;
      case "array":
        children.push([def.element, `${path}[]`]);
        break;
      case "record":
        children.push([def.valueType, `${path}{}`]);
        break;
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "nonoptional":
      case "readonly":
        children.push([def.innerType, path]);
        break;
    }
    for (const [child, childPath] of children) if (isSchema(child)) walk(child, childPath);
  };
  walk(root, rootName);
  return found;
}

const fields = exportedSchemas().flatMap(([name, schema]) => optionalFields(name, schema));

describe("null is absent, in every protocol schema", () => {
  it("finds the optional fields (the walk reaches into nested schemas)", () => {
    const paths = new Set(fields.map((field) => field.path));
    // One known field per kind of nesting, so that a walk that stops early fails here.
    for (const path of [
      "QueryRequestSchema.temperature",
      "QueryRequestSchema.query[].sender",
      "TextFieldSchema.placeholder",
      "SettingsResponseSchema.parameter_controls.sections[].tabs",
      "SettingsResponseSchema.parameter_controls.sections[].controls[].default_value",
      "AspectRatioOptionSchema.value",
      "MetaEventDataSchema.linkify",
      "ErrorEventDataSchema.allow_retry",
      "CustomToolDefinitionSchema.format",
      "QueryRequestSchema.tools[].description",
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(fields.length).toBeGreaterThan(100);
  });

  it("every field that may be absent takes null", () => {
    const refused = fields.filter((field) => !z.safeParse(field.schema, null).success);
    expect(refused.map((field) => field.path)).toEqual([]);
  });

  it("an optional field's null reads as its absence: the same value, or null where no default exists", () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), (field) => {
        const fromNull = z.safeParse(field.schema, null);
        const fromAbsent = z.safeParse(field.schema, undefined);
        expect(fromNull.success && fromAbsent.success).toBe(true);
        // A field with a default gives it for both; one without keeps what was sent (null or nothing).
        if (fromAbsent.data !== undefined) expect(fromNull.data).toEqual(fromAbsent.data);
        else expect(fromNull.data).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
