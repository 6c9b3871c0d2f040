import type { ComparatorCondition, ParameterControls } from "poekit";
import { describe, expect, it } from "vitest";
import {
  allControls,
  aspectRatioValue,
  defaultValues,
  evaluateCondition,
  mergeValues,
  sameValue,
  visibleControls,
} from "./parameters.ts";

const controls: ParameterControls = {
  api_version: "2",
  sections: [
    {
      name: "Style",
      controls: [
        { control: "text_field", label: "Name", parameter_name: "name", default_value: "Ada" },
        { control: "text_area", label: "Notes", parameter_name: "notes" },
        { control: "divider" },
        {
          control: "drop_down",
          label: "Model",
          parameter_name: "model",
          options: [
            { value: "small", name: "Small" },
            { value: "large", name: "Large" },
          ],
        },
        {
          control: "condition",
          condition: { comparator: "eq", left: { parameter_name: "model" }, right: { literal: "large" } },
          controls: [
            {
              control: "slider",
              label: "Temperature",
              parameter_name: "temperature",
              min_value: 0,
              max_value: 2,
              step: 0.1,
            },
          ],
        },
      ],
    },
    {
      name: "Image",
      collapsed_by_default: true,
      tabs: [
        {
          name: "Basic",
          controls: [
            { control: "toggle_switch", label: "HD", parameter_name: "hd" },
            {
              control: "aspect_ratio",
              label: "Ratio",
              parameter_name: "ratio",
              options: [
                { width: 16, height: 9 },
                { value: "square", width: 1, height: 1 },
              ],
            },
          ],
        },
        {
          name: "Advanced",
          controls: [
            // Shares "hd" with the toggle above and declares the default for both.
            { control: "toggle_switch", label: "HD too", parameter_name: "hd", default_value: true },
          ],
        },
      ],
    },
  ],
};

const cond = (
  comparator: ComparatorCondition["comparator"],
  left: ComparatorCondition["left"],
  right: ComparatorCondition["right"],
): ComparatorCondition => ({ comparator, left, right });

describe("defaults", () => {
  it("takes declared defaults and infers the rest", () => {
    expect(defaultValues(controls)).toEqual({
      name: "Ada",
      notes: "",
      model: "small",
      temperature: 0,
      hd: true,
      ratio: "16:9",
    });
  });

  it("reads a null default (as Python bots send unset ones) as no default", () => {
    const nulls: ParameterControls = {
      api_version: "2",
      sections: [
        {
          name: null,
          controls: [
            { control: "toggle_switch", label: "Loud", parameter_name: "loud", default_value: null },
            {
              control: "text_field",
              label: "N",
              parameter_name: "n",
              default_value: null,
              placeholder: null,
            },
          ],
          tabs: null,
          collapsed_by_default: null,
        },
      ],
    };
    expect(defaultValues(nulls)).toEqual({ loud: false, n: "" });
  });

  it("lists every control, in tabs and under conditions too", () => {
    expect(allControls(controls).map((c) => c.control)).toEqual([
      "text_field",
      "text_area",
      "divider",
      "drop_down",
      "slider",
      "toggle_switch",
      "aspect_ratio",
      "toggle_switch",
    ]);
  });

  it("names an aspect ratio by its value or width:height", () => {
    expect(aspectRatioValue({ width: 4, height: 3 })).toBe("4:3");
    expect(aspectRatioValue({ value: "wide", width: 16, height: 9 })).toBe("wide");
  });

  it("keeps earlier choices that still fit the form", () => {
    const merged = mergeValues(controls, { name: "Grace", hd: "yes", gone: 1, temperature: 1.5 });
    expect(merged.name).toBe("Grace");
    expect(merged.temperature).toBe(1.5);
    expect(merged.hd).toBe(true);
    expect("gone" in merged).toBe(false);
  });
});

describe("conditions", () => {
  it("compares a parameter with a literal", () => {
    const values = { model: "large", temperature: 0.7, hd: false };
    expect(evaluateCondition(cond("eq", { parameter_name: "model" }, { literal: "large" }), values)).toBe(
      true,
    );
    expect(evaluateCondition(cond("ne", { parameter_name: "model" }, { literal: "large" }), values)).toBe(
      false,
    );
    expect(evaluateCondition(cond("gt", { parameter_name: "temperature" }, { literal: 0.5 }), values)).toBe(
      true,
    );
    expect(evaluateCondition(cond("ge", { parameter_name: "temperature" }, { literal: 0.7 }), values)).toBe(
      true,
    );
    expect(evaluateCondition(cond("lt", { parameter_name: "temperature" }, { literal: 0.7 }), values)).toBe(
      false,
    );
    expect(evaluateCondition(cond("le", { literal: 1 }, { literal: 1 }), values)).toBe(true);
    expect(evaluateCondition(cond("eq", { parameter_name: "hd" }, { literal: false }), values)).toBe(true);
  });

  it("compares two parameters", () => {
    const values = { a: 3, b: 5 };
    expect(evaluateCondition(cond("lt", { parameter_name: "a" }, { parameter_name: "b" }), values)).toBe(
      true,
    );
  });

  it("treats numbers and numeric strings, booleans and their names as equal", () => {
    expect(sameValue(2, "2")).toBe(true);
    expect(sameValue(true, "true")).toBe(true);
    expect(sameValue(false, "")).toBe(false);
    expect(sameValue("a", "A")).toBe(false);
  });

  it("never orders values that cannot be compared, and a missing parameter is not equal to anything", () => {
    expect(evaluateCondition(cond("gt", { parameter_name: "missing" }, { literal: 0 }), {})).toBe(false);
    expect(evaluateCondition(cond("lt", { literal: true }, { literal: 1 }), {})).toBe(false);
    expect(evaluateCondition(cond("eq", { parameter_name: "missing" }, { literal: "" }), {})).toBe(false);
    expect(evaluateCondition(cond("ne", { parameter_name: "missing" }, { literal: "" }), {})).toBe(true);
  });

  it("orders strings when they are not numbers", () => {
    expect(evaluateCondition(cond("lt", { literal: "apple" }, { literal: "banana" }), {})).toBe(true);
  });

  it("shows a condition's controls only while it holds", () => {
    const list = controls.sections[0]?.controls ?? [];
    const names = (values: Record<string, unknown>) =>
      visibleControls(list, values).map((c) => ("parameter_name" in c ? c.parameter_name : c.control));
    expect(names({ model: "small" })).toEqual(["name", "notes", "divider", "model"]);
    expect(names({ model: "large" })).toEqual(["name", "notes", "divider", "model", "temperature"]);
  });
});
