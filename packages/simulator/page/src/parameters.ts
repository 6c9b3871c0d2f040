/**
 * Parameter controls without the DOM: every control in a form, each parameter's default, and whether a
 * `condition` holds for the values chosen so far.
 */
import type {
  AspectRatioOption,
  BaseControl,
  ComparatorCondition,
  FullControl,
  LiteralValue,
  ParameterControls,
  ParameterValue,
} from "poekit";

/** The values the user chose, by `parameter_name`: what goes into `parameters` of a message. */
export type ParameterValues = Record<string, unknown>;

/** A control that stores a value (every kind but `divider`). */
export type ValueControl = Exclude<BaseControl, { control: "divider" }>;

/** Every control of the form, in order, the ones in tabs and under conditions included. */
export function allControls(controls: ParameterControls): BaseControl[] {
  const out: BaseControl[] = [];
  const add = (list: readonly FullControl[] | null | undefined) => {
    for (const control of list ?? []) {
      if (control.control === "condition") out.push(...control.controls);
      else out.push(control);
    }
  };
  for (const section of controls.sections) {
    add(section.controls);
    for (const tab of section.tabs ?? []) add(tab.controls);
  }
  return out;
}

/** Whether a control stores a value under a `parameter_name`. */
export function isValueControl(control: BaseControl): control is ValueControl {
  return control.control !== "divider";
}

/** The value an aspect-ratio option stands for: its `value`, or `width:height` when it has none. */
export function aspectRatioValue(option: AspectRatioOption): string {
  return option.value ?? `${option.width}:${option.height}`;
}

/** The control's `default_value`, or undefined when it declares none (`null` is none, as Python bots send it). */
export function declaredDefault(control: ValueControl): unknown {
  return control.default_value ?? undefined;
}

/**
 * The value a control starts with when it declares no default: empty text, the first option, off, the
 * slider's minimum.
 */
export function inferredDefault(control: ValueControl): unknown {
  switch (control.control) {
    case "text_field":
    case "text_area":
      return "";
    case "drop_down":
      return control.options[0]?.value ?? "";
    case "toggle_switch":
      return false;
    case "slider":
      return control.min_value;
    case "aspect_ratio": {
      const first = control.options[0];
      return first ? aspectRatioValue(first) : "";
    }
  }
}

/**
 * Each parameter's starting value. Controls sharing a `parameter_name` share one value: the first declared
 * default wins; a parameter no control declares a default for takes its first control's inferred one.
 */
export function defaultValues(controls: ParameterControls): ParameterValues {
  const values: ParameterValues = {};
  const valueControls = allControls(controls).filter(isValueControl);
  for (const control of valueControls) {
    const declared = declaredDefault(control);
    if (declared !== undefined && !(control.parameter_name in values)) {
      values[control.parameter_name] = declared;
    }
  }
  for (const control of valueControls) {
    if (!(control.parameter_name in values)) values[control.parameter_name] = inferredDefault(control);
  }
  return values;
}

/**
 * The values for a (possibly changed) form: the defaults, with each earlier choice kept while its
 * parameter still exists and its value keeps the default's type.
 */
export function mergeValues(controls: ParameterControls, previous: ParameterValues): ParameterValues {
  const values = defaultValues(controls);
  for (const [name, value] of Object.entries(previous)) {
    if (name in values && typeof values[name] === typeof value) values[name] = value;
  }
  return values;
}

type Operand = LiteralValue | ParameterValue;

/** An operand's value: the literal, or the parameter's current value (undefined when it has none). */
export function operandValue(operand: Operand, values: ParameterValues): unknown {
  if ("literal" in operand) return operand.literal;
  if ("parameter_name" in operand && typeof operand.parameter_name === "string") {
    return values[operand.parameter_name];
  }
  return undefined;
}

function asNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  }
  return null;
}

/**
 * Equality across the types a form produces: numbers match numeric strings (a slider at 2 equals
 * `"2"`), booleans match `"true"`/`"false"`.
 */
export function sameValue(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left === "boolean" || typeof right === "boolean") {
    const text = (value: unknown) => (typeof value === "boolean" ? String(value) : value);
    return text(left) === text(right);
  }
  if (typeof left === "number" || typeof right === "number") {
    const a = asNumber(left);
    const b = asNumber(right);
    return a !== null && b !== null && a === b;
  }
  return false;
}

/** Orders two values: numerically when both are numbers, else as strings when both are strings. */
function order(left: unknown, right: unknown): number | null {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a !== null && b !== null) return a - b;
  if (typeof left === "string" && typeof right === "string") return left < right ? -1 : left > right ? 1 : 0;
  return null;
}

/** Whether a `condition` holds for the current values; an ordering of incomparable values never holds. */
export function evaluateCondition(condition: ComparatorCondition, values: ParameterValues): boolean {
  const left = operandValue(condition.left, values);
  const right = operandValue(condition.right, values);
  switch (condition.comparator) {
    case "eq":
      return sameValue(left, right);
    case "ne":
      return !sameValue(left, right);
    default: {
      const difference = order(left, right);
      if (difference === null) return false;
      if (condition.comparator === "gt") return difference > 0;
      if (condition.comparator === "ge") return difference >= 0;
      if (condition.comparator === "lt") return difference < 0;
      return difference <= 0;
    }
  }
}

/** The controls of a list shown for the current values: a condition's controls only while it holds. */
export function visibleControls(list: readonly FullControl[], values: ParameterValues): BaseControl[] {
  const out: BaseControl[] = [];
  for (const control of list) {
    if (control.control !== "condition") out.push(control);
    else if (evaluateCondition(control.condition, values)) out.push(...control.controls);
  }
  return out;
}
