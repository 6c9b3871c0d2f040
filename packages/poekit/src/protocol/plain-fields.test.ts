import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { fieldTableOf, INVALID, type Reader } from "./plain-fields.js";
import { ProtocolMessageSchema } from "./protocol-message.js";
import { QueryRequestSchema } from "./query-request.js";
import { looseObjectWithDefaults, openEnum } from "./schema-helpers.js";

const Inner = looseObjectWithDefaults({ id: z.string() }, {});
// Defaults written in another order than the fields: the schema fills them in this order.
const Schema = looseObjectWithDefaults(
  {
    name: z.string(),
    kind: z.literal("thing"),
    count: z.nullish(z.number()),
    whole: z.nullish(z.int()),
    color: z.nullish(openEnum(["red", "blue"])),
    tags: z.nullish(z.array(z.string())),
    items: z.array(Inner),
    others: z.nullish(z.array(Inner)),
    map: z.nullish(z.record(z.string(), z.number())),
    inner: z.nullish(Inner),
  },
  { tags: () => [], color: () => "red", count: () => 0, map: () => ({}) },
);

function tableOf(readItems?: (item: z.core.$ZodType) => Reader) {
  const { fields, defaultOrder } = fieldTableOf(Schema, readItems);
  const byKey = Object.fromEntries(
    fields.map(([key, read, required, makeDefault]) => [key, { read, required, makeDefault }]),
  );
  return { fields, defaultOrder, byKey };
}

describe("fieldTableOf", () => {
  it("takes the fields in the schema's order, and the defaults in the order the schema fills them", () => {
    const { fields, defaultOrder, byKey } = tableOf();
    expect(fields.map(([key]) => key)).toEqual(Object.keys(Schema._zod.def.in._zod.def.shape));
    expect(defaultOrder.map((i) => fields[i]?.[0])).toEqual(["tags", "color", "count", "map"]);
    expect(fields.filter(([, , required]) => required).map(([key]) => key)).toEqual([
      "name",
      "kind",
      "items",
    ]);
    expect(byKey.count?.makeDefault?.()).toBe(0);
    // Lists and maps are made anew each time, as the schema makes them.
    const tags = byKey.tags?.makeDefault?.();
    expect(tags).toEqual([]);
    expect(byKey.tags?.makeDefault?.()).not.toBe(tags);
    expect(byKey.name?.makeDefault).toBeUndefined();
  });

  it("reads plain values by the field's type and refuses the rest", () => {
    const { byKey } = tableOf();
    const read = (key: string, value: unknown) => byKey[key]?.read(value);
    expect(read("name", "n")).toBe("n");
    expect(read("name", 1)).toBe(INVALID);
    expect(read("kind", "thing")).toBe("thing");
    expect(read("kind", "other")).toBe(INVALID);
    expect(read("count", null)).toBe(null);
    expect(read("count", 2.5)).toBe(2.5);
    // A refined type (an integer) is left to the schema.
    expect(read("whole", 2)).toBe(INVALID);
    expect(read("color", "green")).toBe("green");
    expect(read("color", 3)).toBe(INVALID);
    expect(read("tags", ["a", "b"])).toEqual(["a", "b"]);
    expect(read("tags", ["a", 1])).toBe(INVALID);
    expect(read("others", [])).toEqual([]);
    expect(read("others", [{ id: "x" }])).toBe(INVALID);
    expect(read("map", {})).toEqual({});
    expect(read("map", { a: 1 })).toBe(INVALID);
    expect(read("inner", null)).toBe(null);
    expect(read("inner", { id: "x" })).toBe(INVALID);
    // Without `readItems`, even a required list of objects is plain only empty.
    expect(read("items", [{ id: "x" }])).toBe(INVALID);
  });

  it("hands a required list of objects to `readItems`, and only that one", () => {
    const asked: unknown[] = [];
    const { byKey } = tableOf((item) => {
      asked.push(item);
      return () => "items read";
    });
    expect(asked).toEqual([Inner]);
    expect(byKey.items?.read([{ id: "x" }])).toBe("items read");
    expect(byKey.others?.read([{ id: "x" }])).toBe(INVALID);
  });

  it("reads the request's and the message's schemas, and nothing else", () => {
    expect(fieldTableOf(QueryRequestSchema).fields.length).toBe(22);
    expect(fieldTableOf(ProtocolMessageSchema).fields[0]?.[0]).toBe("role");
    expect(() => fieldTableOf(z.object({ a: z.string() }))).toThrow(/looseObjectWithDefaults/);
  });
});
