import * as z from "zod/mini";
import { looseObjectWithDefaults } from "./schema-helpers.js";

/**
 * Parameter controls: the form Poe shows beside a bot's chat. Every control stores its value under
 * `parameter_name`; the user's choices arrive in `ProtocolMessage.parameters`.
 * Optional fields take `null` as absent: fastapi_poe writes `null` for every one left unset.
 */

/** A fixed value in a condition. */
export const LiteralValueSchema = z.looseObject({ literal: z.union([z.string(), z.number(), z.boolean()]) });
export type LiteralValue = z.output<typeof LiteralValueSchema>;

/** The current value of a parameter in a condition. */
export const ParameterValueSchema = z.looseObject({ parameter_name: z.string() });
export type ParameterValue = z.output<typeof ParameterValueSchema>;

const OperandSchema = z.union([LiteralValueSchema, ParameterValueSchema]);

/** Compares two operands; controls under a `condition` are shown only while it holds. */
export const ComparatorConditionSchema = z.looseObject({
  comparator: z.enum(["eq", "ne", "gt", "ge", "lt", "le"]),
  left: OperandSchema,
  right: OperandSchema,
});
export type ComparatorCondition = z.output<typeof ComparatorConditionSchema>;

/** A value with its display name, for drop-downs. */
export const ValueNamePairSchema = z.looseObject({ value: z.string(), name: z.string() });
export type ValueNamePair = z.output<typeof ValueNamePairSchema>;

/** An aspect ratio choice. */
export const AspectRatioOptionSchema = z.looseObject({
  value: z.nullish(z.string()),
  width: z.number(),
  height: z.number(),
});
export type AspectRatioOption = z.output<typeof AspectRatioOptionSchema>;

const labelled = {
  label: z.string(),
  description: z.nullish(z.string()),
  parameter_name: z.string(),
};

/** A horizontal rule between controls. */
export const DividerSchema = z.looseObject({ control: z.literal("divider") });
/** A one-line text input. */
export const TextFieldSchema = z.looseObject({
  control: z.literal("text_field"),
  ...labelled,
  default_value: z.nullish(z.string()),
  placeholder: z.nullish(z.string()),
});
/** A multi-line text input. */
export const TextAreaSchema = z.looseObject({
  control: z.literal("text_area"),
  ...labelled,
  default_value: z.nullish(z.string()),
  placeholder: z.nullish(z.string()),
});
/** A choice among options. */
export const DropDownSchema = z.looseObject({
  control: z.literal("drop_down"),
  ...labelled,
  default_value: z.nullish(z.string()),
  options: z.array(ValueNamePairSchema),
});
/** An on/off switch. */
export const ToggleSwitchSchema = z.looseObject({
  control: z.literal("toggle_switch"),
  ...labelled,
  default_value: z.nullish(z.boolean()),
});
/** A number between `min_value` and `max_value`. */
export const SliderSchema = z.looseObject({
  control: z.literal("slider"),
  ...labelled,
  default_value: z.nullish(z.number()),
  min_value: z.number(),
  max_value: z.number(),
  step: z.number(),
});
/** A choice of aspect ratio. */
export const AspectRatioSchema = z.looseObject({
  control: z.literal("aspect_ratio"),
  ...labelled,
  default_value: z.nullish(z.string()),
  options: z.array(AspectRatioOptionSchema),
});

/** Any control except a condition. */
export const BaseControlSchema = z.discriminatedUnion("control", [
  DividerSchema,
  TextFieldSchema,
  TextAreaSchema,
  DropDownSchema,
  ToggleSwitchSchema,
  SliderSchema,
  AspectRatioSchema,
]);
export type BaseControl = z.output<typeof BaseControlSchema>;
export type Divider = z.output<typeof DividerSchema>;
export type TextField = z.output<typeof TextFieldSchema>;
export type TextArea = z.output<typeof TextAreaSchema>;
export type DropDown = z.output<typeof DropDownSchema>;
export type ToggleSwitch = z.output<typeof ToggleSwitchSchema>;
export type Slider = z.output<typeof SliderSchema>;
export type AspectRatio = z.output<typeof AspectRatioSchema>;

/** Controls shown only while `condition` holds. Conditions do not nest. */
export const ConditionallyRenderControlsSchema = z.looseObject({
  control: z.literal("condition"),
  condition: ComparatorConditionSchema,
  controls: z.array(BaseControlSchema),
});
export type ConditionallyRenderControls = z.output<typeof ConditionallyRenderControlsSchema>;

/** Any control, a condition included. */
export const FullControlSchema = z.discriminatedUnion("control", [
  DividerSchema,
  TextFieldSchema,
  TextAreaSchema,
  DropDownSchema,
  ToggleSwitchSchema,
  SliderSchema,
  AspectRatioSchema,
  ConditionallyRenderControlsSchema,
]);
export type FullControl = z.output<typeof FullControlSchema>;

/** A named group of controls. */
export const TabSchema = z.looseObject({
  name: z.nullish(z.string()),
  controls: z.array(FullControlSchema),
});
export type Tab = z.output<typeof TabSchema>;

/** A section of the form, holding controls or tabs. */
export const SectionSchema = z.looseObject({
  name: z.nullish(z.string()),
  controls: z.nullish(z.array(FullControlSchema)),
  tabs: z.nullish(z.array(TabSchema)),
  collapsed_by_default: z.nullish(z.boolean()),
});
export type Section = z.output<typeof SectionSchema>;

/**
 * The whole form.
 * @example
 * const controls: ParameterControls = { api_version: "2", sections: [{ name: "Style", controls: [
 *   { control: "slider", label: "Creativity", parameter_name: "temperature",
 *     default_value: 0.7, min_value: 0, max_value: 2, step: 0.1 }] }] };
 */
export const ParameterControlsSchema = looseObjectWithDefaults(
  { api_version: z.nullish(z.literal("2")), sections: z.array(SectionSchema) },
  { api_version: () => "2" as const },
);
export type ParameterControls = z.output<typeof ParameterControlsSchema>;
