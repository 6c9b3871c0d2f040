import { describe, expect, it } from "vitest";
import { prettyPrintJson } from "./json-text.js";

describe("prettyPrintJson", () => {
  it("indents valid JSON by two spaces per level", () => {
    expect(prettyPrintJson('{"a":1,"b":[true,null,{"c":"d"}],"e":{},"f":[ ]}')).toBe(
      '{\n  "a": 1,\n  "b": [\n    true,\n    null,\n    {\n      "c": "d"\n    }\n  ],\n  "e": {},\n  "f": []\n}',
    );
  });

  it("gives the same result as JSON.stringify for ordinary values", () => {
    const value = { name: "x", list: [1, 2, [3]], nested: { deep: { deeper: [] } }, n: -1.5e3 };
    expect(prettyPrintJson(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2));
  });

  it("keeps number literals and strings exactly as written", () => {
    expect(prettyPrintJson('{"id":12345678901234567890,"price":1.50}')).toBe(
      '{\n  "id": 12345678901234567890,\n  "price": 1.50\n}',
    );
    expect(prettyPrintJson('["a \\" , { } [ ] : b", "\\\\"]')).toBe(
      '[\n  "a \\" , { } [ ] : b",\n  "\\\\"\n]',
    );
  });

  it("keeps duplicate keys", () => {
    expect(prettyPrintJson('{"k":1,"k":2}')).toBe('{\n  "k": 1,\n  "k": 2\n}');
  });

  it("re-indents JSON that was already formatted differently", () => {
    expect(prettyPrintJson('{\r\n\t"a" :\t[ 1 ,2 ]\r\n}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
  });

  it("keeps top-level scalars", () => {
    expect(prettyPrintJson(' "text" ')).toBe('"text"');
    expect(prettyPrintJson("42")).toBe("42");
  });

  it("returns invalid JSON unchanged", () => {
    for (const text of ['{"a": 1,', "not json", '{"a": undefined}', ""]) {
      expect(prettyPrintJson(text)).toBe(text);
    }
  });
});
