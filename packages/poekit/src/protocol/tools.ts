import * as z from "zod/mini";
import { looseObjectWithDefaults } from "./schema-helpers.js";

/**
 * The JSON Schema of a function's arguments. Keys beyond `type`, `properties` and `required`
 * (`additionalProperties`, `$defs`, …) are kept.
 */
export const ParametersDefinitionSchema = z.looseObject({
  type: z.string(),
  properties: z.record(z.string(), z.unknown()),
  required: z.nullish(z.array(z.string())),
});
export type ParametersDefinition = z.output<typeof ParametersDefinitionSchema>;

/** A function a model may call. */
export const FunctionDefinitionSchema = z.looseObject({
  name: z.string(),
  description: z.nullish(z.string()),
  parameters: ParametersDefinitionSchema,
});
export type FunctionDefinition = z.output<typeof FunctionDefinitionSchema>;

/**
 * An OpenAI-style tool definition, sent in `QueryRequest.tools`.
 * @example
 * const tool: ToolDefinition = { type: "function", function: { name: "get_weather",
 *   description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };
 */
export const ToolDefinitionSchema = z.looseObject({
  type: z.string(),
  function: FunctionDefinitionSchema,
});
export type ToolDefinition = z.output<typeof ToolDefinitionSchema>;

/** A complete call: the function name and its arguments as a JSON string. */
export const FunctionCallDefinitionSchema = z.looseObject({
  name: z.string(),
  arguments: z.string(),
});
export type FunctionCallDefinition = z.output<typeof FunctionCallDefinitionSchema>;

/**
 * A tool call the model made, sent back in `QueryRequest.tool_calls` on the second call of a tool loop.
 * @example
 * const call: ToolCallDefinition = { id: "call_1", type: "function",
 *   function: { name: "get_weather", arguments: '{"city":"Paris"}' } };
 */
export const ToolCallDefinitionSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  function: FunctionCallDefinitionSchema,
});
export type ToolCallDefinition = z.output<typeof ToolCallDefinitionSchema>;

/** A piece of a streamed tool call; pieces with the same `index` add up to one call. */
export const ToolCallDefinitionDeltaSchema = looseObjectWithDefaults(
  {
    index: z.nullish(z.int()),
    id: z.nullish(z.string()),
    type: z.nullish(z.string()),
    function: looseObjectWithDefaults(
      { name: z.nullish(z.string()), arguments: z.nullish(z.string()) },
      { name: () => null, arguments: () => "" },
    ),
  },
  { index: () => 0, id: () => null, type: () => null },
);
export type ToolCallDefinitionDelta = z.output<typeof ToolCallDefinitionDeltaSchema>;

/**
 * The result of running one tool call, sent in `QueryRequest.tool_results`.
 * @example
 * const result: ToolResultDefinition = { role: "tool", name: "get_weather", tool_call_id: "call_1",
 *   content: '{"temperature":22}' };
 */
export const ToolResultDefinitionSchema = z.looseObject({
  role: z.string(),
  name: z.string(),
  tool_call_id: z.string(),
  content: z.string(),
});
export type ToolResultDefinition = z.output<typeof ToolResultDefinitionSchema>;

/**
 * A free-form ("custom") tool: the model calls it with plain text rather than JSON arguments.
 * `format` (a grammar, or `{ type: "text" }`) is passed through as given.
 * @example
 * const grep: CustomToolDefinition = { name: "grep", description: "Search the code", format: { type: "text" } };
 */
export const CustomToolDefinitionSchema = z.looseObject({
  name: z.string(),
  description: z.nullish(z.string()),
  format: z.nullish(z.record(z.string(), z.unknown())),
});
export type CustomToolDefinition = z.output<typeof CustomToolDefinitionSchema>;

/**
 * A call of a custom tool: its name and the model's input as plain text.
 * @example
 * const call: CustomCallDefinition = { name: "grep", input: "needle" };
 */
export const CustomCallDefinitionSchema = z.looseObject({
  name: z.string(),
  input: z.string(),
});
export type CustomCallDefinition = z.output<typeof CustomCallDefinitionSchema>;

/**
 * An entry of `QueryRequest.tools`: a function tool, or a custom one. The custom member's type says it
 * has no `function`, so `tool.function?.name` reads either kind without narrowing.
 */
export type AnyToolDefinition = ToolDefinition | (CustomToolDefinition & { function?: undefined });
export const AnyToolDefinitionSchema: z.ZodMiniType<AnyToolDefinition> = z.union([
  ToolDefinitionSchema,
  CustomToolDefinitionSchema,
]);

/** An entry of `QueryRequest.tool_calls`: a function call, or a custom tool's call (no `id`, no `function`). */
export type AnyToolCallDefinition =
  | ToolCallDefinition
  | (CustomCallDefinition & { id?: undefined; function?: undefined });
export const AnyToolCallDefinitionSchema: z.ZodMiniType<AnyToolCallDefinition> = z.union([
  ToolCallDefinitionSchema,
  CustomCallDefinitionSchema,
]);

/**
 * Whether a tool is a function tool, not a custom one (narrows the type).
 * @example
 * const functions = (request.tools ?? []).filter(isFunctionToolDefinition);
 */
export function isFunctionToolDefinition(tool: AnyToolDefinition): tool is ToolDefinition {
  return typeof tool.function === "object" && tool.function !== null;
}

/** Whether a tool call is a function call, not a custom tool's (narrows the type). */
export function isFunctionToolCall(call: AnyToolCallDefinition): call is ToolCallDefinition {
  return typeof call.function === "object" && call.function !== null && "id" in call;
}
